import { Module } from '@nestjs/common';
import { MeteringModule } from '../metering/metering.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { PipelineHealthController } from './pipeline-health.controller.js';
import { PipelineHealthService } from './pipeline-health.service.js';
import { WorkflowCountsReader } from './workflow-counts.js';

/** GET /v1/pipeline/health: reads metering, the rollup and Temporal through their owners. */
@Module({
  imports: [MeteringModule, UsageModule],
  controllers: [PipelineHealthController],
  providers: [PipelineHealthService, WorkflowCountsReader],
})
export class PipelineHealthModule {}
