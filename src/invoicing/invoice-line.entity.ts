import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * `usage`: a metric's usage in the window; `late_usage`: usage from earlier, already invoiced
 * windows; `adjustment`: the difference corrected events make to a period an invoice already
 * billed (negative or positive); `credits_applied`: prepaid credits drawn for a credit window's
 * usage (negative; positive when a correction returned credits an invoice had applied);
 * `credit_purchase`: a paid credit grant; `minimum_commitment`: what a subscription period's usage
 * fell short of its commitment; `balance_carried`: a negative invoice's amount carried to the
 * payer's invoice balance (positive, closing the invoice at zero); `balance_applied`: the
 * invoice balance taken off an invoice (negative).
 */
export const INVOICE_LINE_KINDS = [
  'usage',
  'late_usage',
  'manual',
  'credits_applied',
  'credit_purchase',
  'minimum_commitment',
  'adjustment',
  'balance_carried',
  'balance_applied',
] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];

/** One tier row of a line, as the API shows it. */
export interface LineTier {
  from: string;
  to: string | null;
  quantity: string;
  unit_amount: string;
  flat_amount: string;
  amount: string;
}

@Entity({ name: 'invoice_lines' })
@Index('invoice_lines_invoice', ['merchantId', 'invoiceId', 'id'])
@Index('invoice_lines_idempotency_key', ['merchantId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
export class InvoiceLineEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'invoice_id', type: 'text' })
  invoiceId!: string;

  @Column({ type: 'text' })
  kind!: InvoiceLineKind;

  @Column({ name: 'metric_id', type: 'text', nullable: true })
  metricId!: string | null;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'numeric' })
  quantity!: string;

  /** The price per unit of a per-unit line; null for a tiered or package price (see `tiers`). */
  @Column({ name: 'unit_amount', type: 'numeric', nullable: true })
  unitAmount!: string | null;

  /** The line's amount, rounded once to the currency's minor unit. */
  @Column({ type: 'numeric' })
  amount!: string;

  /** A priced usage line's exact breakdown by tier (src/metering/domain/rating.ts); null for other lines. */
  @Column({ type: 'jsonb', nullable: true })
  tiers!: LineTier[] | null;

  /**
   * The billing period a usage line prices [start, end): a later line of the same payer, metric
   * and period bills the difference its usage makes to the period's amount. Null for other lines.
   */
  @Column({ name: 'period_start', type: 'timestamptz', nullable: true })
  periodStart!: Date | null;

  @Column({ name: 'period_end', type: 'timestamptz', nullable: true })
  periodEnd!: Date | null;

  /** A manual line's Idempotency-Key, so a retried add answers the first line. */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
