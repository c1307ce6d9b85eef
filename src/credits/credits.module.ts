import { Module } from '@nestjs/common';
import { InvoicingModule } from '../invoicing/invoicing.module.js';
import { MeteringModule } from '../metering/metering.module.js';
import { PipelineModule } from '../pipeline/pipeline.module.js';
import { PayersModule } from '../payers/payers.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { CreditDrawsService } from './credit-draws.service.js';
import { CreditGrantsService } from './credit-grants.service.js';
import { CreditMonitorService } from './credit-monitor.service.js';
import { CreditWorkflows } from './credit-workflows.js';
import { CreditReportsController, CreditsController } from './credits.controller.js';
import { CreditsRepository } from './credits.repository.js';

/** Prepaid credits: grants, the ledger, draws as usage is aggregated, credits applied on invoices, the monitor. */
@Module({
  imports: [MeteringModule, PayersModule, PipelineModule, UsageModule, InvoicingModule, WebhooksModule],
  controllers: [CreditsController, CreditReportsController],
  providers: [
    CreditsRepository,
    CreditWorkflows,
    CreditGrantsService,
    CreditDrawsService,
    CreditMonitorService,
  ],
  exports: [CreditWorkflows, CreditMonitorService, CreditGrantsService, CreditDrawsService],
})
export class CreditsModule {}
