import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { EVENT_STATUSES, type EventStatus } from '../billing-metric-event.entity.js';
import { EVENT_WARNINGS, type EventWarning } from '../domain/event-input.js';

/** A logged usage event, as stored. */
export class BillingMetricEvent {
  id!: string;
  object!: 'billing_metric_event';
  /** Your idempotency key for this usage. */
  reference!: string;
  event_name!: string;
  /** The billing metric (bm_…) the event counts toward. */
  metric!: string;
  /** The paying customer (cus_…), or null when an account pays. */
  customer!: string | null;
  /** The paying account (acct_…), or null when a customer pays. */
  account!: string | null;
  /** Exact decimal text, or the counted entity id for count_unique; null where the metric ignores it. */
  value!: string | null;
  /** When the usage happened (ISO 8601). */
  timestamp!: string;
  /** time_duration: start of the interval (ISO 8601). */
  start_time!: string | null;
  /** time_duration: end of the interval (ISO 8601). */
  end_time!: string | null;
  /** markup_percentage metrics: the markup as exact decimal text; null otherwise. */
  markup_percentage!: string | null;
  metadata!: Record<string, string>;
  /** logged → aggregated (folded into usage) → invoiced → paid. */
  @ApiProperty({ enum: EVENT_STATUSES })
  status!: EventStatus;
  /** When Tally received the event (ISO 8601). */
  received_at!: string;
}

/** The answer to logging one event: the event (the original one on a replay) and what became of it. */
export class LoggedBillingMetricEvent extends BillingMetricEvent {
  /** True when this reference was logged before: the original is returned and nothing was stored. */
  duplicate!: boolean;
  /** On a duplicate, whether this request's payload differs from the original's (the original stands). */
  payload_mismatch?: boolean;
  /** Non-fatal findings, e.g. `missing_interval` for a time_duration event without both times. */
  @ApiProperty({ required: false, enum: EVENT_WARNINGS, isArray: true })
  warnings?: EventWarning[];
}

/** The codes a refused event of a batch can carry (the first problem found). */
export const EVENT_PROBLEM_CODES = [
  'parameter_invalid',
  'parameter_missing',
  'parameter_unknown',
  'payer_conflict',
  'payer_required',
  'timestamp_in_future',
  'invalid_interval',
  'unknown_customer',
  'unknown_account',
  'unknown_event_name',
] as const;

/** Why a batch's event was refused: what the single-event route would answer, as `code` / `param` / `message`. */
export class BillingMetricEventProblem {
  @ApiProperty({ enum: EVENT_PROBLEM_CODES })
  code!: string;
  /** The event field at fault, when there is one. */
  param?: string;
  message!: string;
}

/** An event of a batch that was stored now (`created`) or earlier under its reference (`duplicate`). */
export class BillingMetricEventBatchLogged {
  /** The event's position in the request's `events` (from 0). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  index!: number;
  status!: 'created' | 'duplicate';
  /** The event's id; on a duplicate, the original's. */
  id!: string;
  /** On a duplicate, whether this payload differs from the original's (the original stands). */
  payload_mismatch?: boolean;
  /** Non-fatal findings, e.g. `missing_interval`. */
  @ApiProperty({ required: false, enum: EVENT_WARNINGS, isArray: true })
  warnings?: EventWarning[];
}

/** An event of a batch that was refused; nothing was stored for it. */
export class BillingMetricEventBatchRejected {
  /** The event's position in the request's `events` (from 0). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  index!: number;
  status!: 'rejected';
  error!: BillingMetricEventProblem;
}

/**
 * The answer to a batch: one item per event, in order. A refused event is an item with
 * `status: "rejected"`, not an error answer; the request as a whole succeeds.
 */
@ApiExtraModels(BillingMetricEventBatchLogged, BillingMetricEventBatchRejected)
export class BillingMetricEventBatchResult {
  object!: 'batch_result';
  /** Events stored now. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  created!: number;
  /** Events whose reference was logged before (nothing stored). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  duplicates!: number;
  /** Events refused (see each item's `error`). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  rejected!: number;
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [
        { $ref: getSchemaPath(BillingMetricEventBatchLogged) },
        { $ref: getSchemaPath(BillingMetricEventBatchRejected) },
      ],
    },
  })
  data!: (BillingMetricEventBatchLogged | BillingMetricEventBatchRejected)[];
}
