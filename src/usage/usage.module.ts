import { Module } from '@nestjs/common';
import { MeteringModule } from '../metering/metering.module.js';
import { PayersModule } from '../payers/payers.module.js';
import { PipelineModule } from '../pipeline/pipeline.module.js';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';
import { RollupRepository } from './rollup.repository.js';
import { RollupService } from './rollup.service.js';
import { UsageLedger } from './usage-ledger.js';
import { UsageLedgerRepository } from './usage-ledger.repository.js';
import { UsageRepository } from './usage.repository.js';

@Module({
  imports: [MeteringModule, PayersModule, PipelineModule],
  controllers: [ReportsController],
  providers: [
    UsageRepository,
    ReportsService,
    RollupRepository,
    RollupService,
    UsageLedger,
    UsageLedgerRepository,
  ],
  exports: [RollupService, RollupRepository, ReportsService, UsageLedger],
})
export class UsageModule {}
