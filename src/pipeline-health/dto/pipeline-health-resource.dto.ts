import { ApiProperty } from '@nestjs/swagger';
import { ApiNullableObject, type Nullable } from '../../common/http/openapi/nullable.js';
import { WORKFLOW_STATUSES, type WorkflowStatus } from '../domain/workflow-status.js';

const COUNT = { type: 'integer', minimum: 0 } as const;

/** Events received in one whole UTC minute. */
export class IngestionMinute {
  /** The minute's start (ISO 8601, UTC). */
  start!: string;
  /** Events logged in it (by receipt time; corrections are not new events). */
  @ApiProperty(COUNT)
  events!: number;
}

/** How fast the merchant's events arrive. */
export class PipelineIngestion {
  /** The window `per_minute` covers: this many whole UTC minutes, the last one the current minute so far. */
  @ApiProperty({ type: 'integer', enum: [60] })
  window_minutes!: 60;
  /** Events received in the 60 seconds before `generated_at`. */
  @ApiProperty(COUNT)
  events_last_minute!: number;
  /** Events received in the window: the sum of `per_minute`. */
  @ApiProperty(COUNT)
  events_last_hour!: number;
  /** One bucket per minute of the window, oldest first; minutes with no event read 0. */
  @ApiProperty({ type: [IngestionMinute], minItems: 60, maxItems: 60 })
  per_minute!: IngestionMinute[];
}

/** How far the rollup is behind on the merchant's events. */
export class PipelineRollup {
  /** The merchant's events still `logged`: not yet folded into usage. */
  @ApiProperty(COUNT)
  backlog!: number;
  /** Seconds (to a tenth) since the oldest of them was received; 0 when none waits. */
  @ApiProperty({ minimum: 0 })
  lag_seconds!: number;
  /** When the oldest event still waiting was received (ISO 8601), or null when none waits. */
  oldest_waiting_received_at!: string | null;
}

/** The merchant's workflows per execution status (every status, 0 when none). */
export class WorkflowStatusCounts {
  @ApiProperty(COUNT)
  running!: number;
  @ApiProperty(COUNT)
  completed!: number;
  @ApiProperty(COUNT)
  failed!: number;
  @ApiProperty(COUNT)
  canceled!: number;
  @ApiProperty(COUNT)
  terminated!: number;
  @ApiProperty(COUNT)
  timed_out!: number;
  @ApiProperty(COUNT)
  continued_as_new!: number;
}

/** How many of the merchant's workflows of one type are in one status. */
export class WorkflowTypeCount {
  /** The workflow type: invoiceLifecycle, subscriptionCycle, creditMonitor, webhookDelivery or diagnosticsRoundTrip. */
  type!: string;
  @ApiProperty({ enum: WORKFLOW_STATUSES })
  status!: WorkflowStatus;
  @ApiProperty({ type: 'integer', minimum: 1 })
  count!: number;
}

/** The merchant's Temporal workflows (those carrying its TallyMerchantId), as Temporal's visibility counts them. */
export class PipelineWorkflows {
  /** False when Temporal did not answer in time: then `by_status` and `by_type` are null and `error` says why. */
  available!: boolean;
  /** Why Temporal could not be asked; null when `available`. */
  error!: string | null;
  @ApiNullableObject(WorkflowStatusCounts, {
    description: 'Every execution status with its count; null when not `available`.',
  })
  by_status!: Nullable<WorkflowStatusCounts>;
  /** One item per (type, status) with at least one workflow, types in a fixed order; null when not `available`. */
  @ApiProperty({ type: [WorkflowTypeCount], nullable: true })
  by_type!: WorkflowTypeCount[] | null;
}

/** The calling merchant's pipeline: ingestion rate, rollup backlog and lag, workflows by status. */
export class PipelineHealth {
  @ApiProperty({ enum: ['pipeline_health'] })
  object!: 'pipeline_health';
  /** When this was read (ISO 8601): the "now" of every window and lag. */
  generated_at!: string;
  ingestion!: PipelineIngestion;
  rollup!: PipelineRollup;
  workflows!: PipelineWorkflows;
}
