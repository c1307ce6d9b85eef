import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const CORRECTION_ACTIONS = ['amended', 'voided'] as const;
export type CorrectionAction = (typeof CORRECTION_ACTIONS)[number];

/** One field a correction changed: its value before and after, as the event resource shows it. */
export type FieldChange = { from: unknown; to: unknown };

/**
 * One correction of an event: version 2 onwards (version 1 is the event as logged). Append-only:
 * the rows it added to billing_metric_events are named here, the reversal taking the previous
 * version out and, for an amendment, the new version's row.
 */
@Entity({ name: 'billing_metric_event_versions' })
@Index('billing_metric_event_versions_idempotency_key', ['merchantId', 'eventId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
export class BillingMetricEventVersionEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ name: 'event_id', type: 'text' })
  eventId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ type: 'text' })
  action!: CorrectionAction;

  /** The new version's row; null for a void. */
  @Column({ name: 'row_id', type: 'text', nullable: true })
  rowId!: string | null;

  /** The reversal row that takes the previous version's usage out. */
  @Column({ name: 'reversal_id', type: 'text' })
  reversalId!: string;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  changes!: Record<string, FieldChange>;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** The API key that made the correction. */
  @Column({ name: 'api_key_id', type: 'text', nullable: true })
  apiKeyId!: string | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
