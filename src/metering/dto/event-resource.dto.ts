import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { EVENT_STATUSES, type EventStatus } from '../billing-metric-event.entity.js';
import { EVENT_WARNINGS, type EventWarning } from '../domain/event-input.js';
import { ApiNullableObject, type Nullable } from '../../common/http/openapi/nullable.js';

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
  /** When Tally received the event (ISO 8601): its first version, however often it was corrected. */
  received_at!: string;
  /** The event's current version: 1 as logged, one more for each amendment or void. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  version!: number;
  /** Voided: its usage no longer counts, and it cannot be amended; its fields show the last version before the void. */
  voided!: boolean;
  /** Amended at least once: its fields show the latest amendment. */
  amended!: boolean;
}

/** A change of a field that may be empty (value, start_time, end_time, markup_percentage, customer, account). */
export class BillingMetricEventFieldChange {
  from!: string | null;
  to!: string | null;
}

/** A change of the timestamp (ISO 8601). */
export class BillingMetricEventTimestampChange {
  from!: string;
  to!: string;
}

/** A change of the metadata: the whole map before and after. */
export class BillingMetricEventMetadataChange {
  from!: Record<string, string>;
  to!: Record<string, string>;
}

/** What an amendment changed, field by field as the event shows it; only the fields that changed. */
export class BillingMetricEventChanges {
  value?: BillingMetricEventFieldChange;
  timestamp?: BillingMetricEventTimestampChange;
  start_time?: BillingMetricEventFieldChange;
  end_time?: BillingMetricEventFieldChange;
  markup_percentage?: BillingMetricEventFieldChange;
  metadata?: BillingMetricEventMetadataChange;
  customer?: BillingMetricEventFieldChange;
  account?: BillingMetricEventFieldChange;
}

/** Taking the previous version's usage out: where that reversal is in the lifecycle. */
export class BillingMetricEventReversal {
  /** logged → aggregated (subtracted from usage) → invoiced (billed as an adjustment) → paid. */
  @ApiProperty({ enum: EVENT_STATUSES })
  status!: EventStatus;
  /** The invoice that billed the reversal (inv_…), or null. */
  invoice!: string | null;
}

export const VERSION_ACTIONS = ['logged', 'amended', 'voided'] as const;

/** One version of an event: how it was logged, and each correction since. */
export class BillingMetricEventVersion {
  @ApiProperty({ type: 'integer', minimum: 1 })
  version!: number;
  /** `logged` (version 1), `amended`, or `voided` (the last version of a voided event). */
  @ApiProperty({ enum: VERSION_ACTIONS })
  action!: (typeof VERSION_ACTIONS)[number];
  /** When this version was made (ISO 8601): for version 1, when the event was received. */
  created_at!: string;
  /** The API key (key_…) that made the correction; null for version 1. */
  api_key!: string | null;
  /** Why, as the correction said; null when it gave no reason (and for version 1). */
  reason!: string | null;
  /** What the amendment changed (empty for version 1 and for a void). */
  changes!: BillingMetricEventChanges;
  /** Where this version's usage is in the lifecycle; null for a void (it has no usage of its own). */
  @ApiProperty({ enum: [...EVENT_STATUSES, null], nullable: true })
  status!: EventStatus | null;
  /** The invoice that billed this version (inv_…), or null (and null for a void). */
  invoice!: string | null;
  /** For an amendment or a void: taking the previous version out (null for version 1). */
  @ApiNullableObject(BillingMetricEventReversal)
  reversal!: Nullable<BillingMetricEventReversal>;
}

/** An event with its history: one entry per version, from 1. */
export class BillingMetricEventWithVersions extends BillingMetricEvent {
  @ApiProperty({ type: [BillingMetricEventVersion] })
  versions!: BillingMetricEventVersion[];
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

/** The codes a refused void of a batch can carry. */
export const VOID_PROBLEM_CODES = [
  'parameter_invalid',
  'parameter_missing',
  'parameter_unknown',
  'resource_missing',
] as const;

/** Why a batch's void was refused: what the single void would answer, as `code` / `param` / `message`. */
export class BillingMetricEventVoidProblem {
  @ApiProperty({ enum: VOID_PROBLEM_CODES })
  code!: string;
  /** The item field at fault, when there is one. */
  param?: string;
  message!: string;
}

/** A void of a batch that was done now (`voided`) or had been before (`already_voided`). */
export class BillingMetricEventVoidBatchDone {
  /** The item's position in the request's `voids` (from 0). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  index!: number;
  status!: 'voided' | 'already_voided';
  /** The event's id. */
  id!: string;
}

/** A void of a batch that was refused; nothing changed for it. */
export class BillingMetricEventVoidBatchRejected {
  /** The item's position in the request's `voids` (from 0). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  index!: number;
  status!: 'rejected';
  error!: BillingMetricEventVoidProblem;
}

/**
 * The answer to a batch of voids: one item per void, in order. A refused void is an item with
 * `status: "rejected"`, not an error answer; the request as a whole succeeds.
 */
@ApiExtraModels(BillingMetricEventVoidBatchDone, BillingMetricEventVoidBatchRejected)
export class BillingMetricEventVoidBatchResult {
  object!: 'batch_result';
  /** Events voided now. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  voided!: number;
  /** Events that were voided before (nothing changed). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  already_voided!: number;
  /** Voids refused (see each item's `error`). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  rejected!: number;
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [
        { $ref: getSchemaPath(BillingMetricEventVoidBatchDone) },
        { $ref: getSchemaPath(BillingMetricEventVoidBatchRejected) },
      ],
    },
  })
  data!: (BillingMetricEventVoidBatchDone | BillingMetricEventVoidBatchRejected)[];
}
