import { Module } from '@nestjs/common';
import { PipelineEventBus } from './pipeline-events.js';

/** The one event bus every context publishes pipeline milestones on (one instance per process). */
@Module({ providers: [PipelineEventBus], exports: [PipelineEventBus] })
export class PipelineModule {}
