import { Injectable } from '@nestjs/common';
import { EventsService } from '../metering/events.service.js';
import { RollupService } from '../usage/rollup.service.js';
import type { PipelineHealth } from './dto/pipeline-health-resource.dto.js';
import { WorkflowCountsReader } from './workflow-counts.js';

export const INGESTION_WINDOW_MINUTES = 60;

/** Composes one merchant's pipeline health from the owners: metering, the rollup, Temporal. Owns no table. */
@Injectable()
export class PipelineHealthService {
  constructor(
    private readonly events: EventsService,
    private readonly rollup: RollupService,
    private readonly workflows: WorkflowCountsReader,
  ) {}

  async health(merchantId: string, now = new Date()): Promise<PipelineHealth> {
    const [ingestion, backlog, workflows] = await Promise.all([
      this.events.ingestionRate(merchantId, now, INGESTION_WINDOW_MINUTES),
      this.rollup.merchantBacklog(merchantId, now.getTime()),
      this.workflows.count(merchantId),
    ]);
    return {
      object: 'pipeline_health',
      generated_at: now.toISOString(),
      ingestion: {
        window_minutes: INGESTION_WINDOW_MINUTES,
        events_last_minute: ingestion.lastMinute,
        events_last_hour: ingestion.total,
        per_minute: ingestion.perMinute.map((bucket) => ({
          start: bucket.start.toISOString(),
          events: bucket.events,
        })),
      },
      rollup: {
        backlog: backlog.loggedEvents,
        lag_seconds: backlog.lagSeconds,
        oldest_waiting_received_at: backlog.oldestReceivedAt?.toISOString() ?? null,
      },
      workflows: workflows.available
        ? {
            available: true,
            error: null,
            by_status: workflows.byStatus,
            by_type: workflows.byType,
          }
        : { available: false, error: workflows.error, by_status: null, by_type: null },
    };
  }
}
