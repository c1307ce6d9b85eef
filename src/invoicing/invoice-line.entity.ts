import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * `usage`: a metric's usage in the window; `late_usage`: usage from earlier, already invoiced
 * windows; `credits_applied`: prepaid credits drawn for a credit window's usage (negative);
 * `credit_purchase`: a paid credit grant.
 */
export const INVOICE_LINE_KINDS = [
  'usage',
  'late_usage',
  'manual',
  'credits_applied',
  'credit_purchase',
] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];

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

  @Column({ name: 'unit_amount', type: 'numeric' })
  unitAmount!: string;

  /** quantity × unit_amount, rounded once to the currency's minor unit. */
  @Column({ type: 'numeric' })
  amount!: string;

  /** A manual line's Idempotency-Key, so a retried add answers the first line. */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
