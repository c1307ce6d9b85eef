import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const EVENT_STATUSES = ['logged', 'aggregated', 'invoiced', 'paid'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/**
 * One usage event. `reference` is the merchant's idempotency key, unique forever; `seq` is the
 * ingestion order (rollups read events in it, so backfilled timestamps are included). Inserted
 * only by hand-written multi-row SQL (see events.repository.ts), never through the entity.
 */
@Entity({ name: 'billing_metric_events' })
@Index('billing_metric_events_reference_key', ['merchantId', 'reference'], { unique: true })
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
