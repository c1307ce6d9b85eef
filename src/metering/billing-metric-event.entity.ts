import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const EVENT_STATUSES = ['logged', 'aggregated', 'invoiced', 'paid'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/**
 * One row of a usage event: its first version, a later version, or a reversal (sign -1) that
 * takes an earlier version's contribution out. `reference` is the merchant's idempotency key,
 * unique forever per (version, sign); `seq` is the ingestion order (rollups read rows in it, so
 * backfilled timestamps and corrections are included). Inserted only by hand-written SQL (see
 * events.repository.ts and corrections.repository.ts), never through the entity, and never
 * rewritten by a correction: the pipeline only moves a row's status.
 */
@Entity({ name: 'billing_metric_events' })
@Index('billing_metric_events_reference_key', ['merchantId', 'reference', 'version', 'sign'], {
  unique: true,
})
// The later rows (versions and reversals) of one event.
@Index('billing_metric_events_event_idx', ['merchantId', 'eventId'], { where: 'event_id IS NOT NULL' })
// An invoice's events, to mark them paid or release them when it is voided.
@Index('billing_metric_events_invoice_idx', ['merchantId', 'invoiceId'], { where: 'invoice_id IS NOT NULL' })
// The rollup's queue: events not yet folded, in ingestion order.
@Index('billing_metric_events_logged_seq_idx', ['seq'], { where: "status = 'logged'" })
export class BillingMetricEventEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'bigint', generatedIdentity: 'ALWAYS', generated: 'identity' })
  seq!: string;

  @Column({ type: 'text' })
  reference!: string;

  /** The version this row holds (1: as first logged), or, for a reversal, the version it takes out. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  /** 1: the row adds its version's usage; -1: a reversal, taking that version's usage out. */
  @Column({ type: 'smallint', default: 1 })
  sign!: number;

  /** The event a later row belongs to; null on an event's first row, whose id is the event's. */
  @Column({ name: 'event_id', type: 'text', nullable: true })
  eventId!: string | null;

  @Column({ name: 'metric_id', type: 'text' })
  metricId!: string;

  @Column({ name: 'event_name', type: 'text' })
  eventName!: string;

  @Column({ name: 'customer_id', type: 'text', nullable: true })
  customerId!: string | null;

  @Column({ name: 'account_id', type: 'text', nullable: true })
  accountId!: string | null;

  @Column({ type: 'numeric', nullable: true })
  value!: string | null;

  @Column({ name: 'unique_value', type: 'text', nullable: true })
  uniqueValue!: string | null;

  @Column({ type: 'timestamptz' })
  timestamp!: Date;

  @Column({ name: 'start_time', type: 'timestamptz', nullable: true })
  startTime!: Date | null;

  @Column({ name: 'end_time', type: 'timestamptz', nullable: true })
  endTime!: Date | null;

  @Column({ name: 'markup_percentage', type: 'numeric', nullable: true })
  markupPercentage!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  metadata!: Record<string, string>;

  @Column({ type: 'text', default: 'logged' })
  status!: EventStatus;

  /** When the rollup folded this event into its hourly bucket. */
  @Column({ name: 'aggregated_at', type: 'timestamptz', nullable: true })
  aggregatedAt!: Date | null;

  /** The invoice that billed this event (set when it becomes `invoiced`; cleared if that invoice is voided). */
  @Column({ name: 'invoice_id', type: 'text', nullable: true })
  invoiceId!: string | null;

  /** Digest of what the client sent, so a replay with a different payload is reported. */
  @Column({ name: 'payload_hash', type: 'bytea' })
  payloadHash!: Buffer;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
