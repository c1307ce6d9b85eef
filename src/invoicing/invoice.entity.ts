import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PayerKind } from '../payers/payer.entity.js';
import type { CollectionMethod, InvoiceStatus } from './domain/invoice-status.js';

/**
 * `billing`: usage of a window, built by the invoice workflow; `manual`: lines added by hand;
 * `subscription`: a subscription period's base fee or overage, built by its workflow; `credits`: a
 * paid credit grant's purchase.
 */
export const INVOICE_KINDS = ['billing', 'manual', 'subscription', 'credits'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

@Entity({ name: 'invoices' })
@Index('invoices_number_key', ['merchantId', 'number'], { unique: true, where: 'number IS NOT NULL' })
@Index('invoices_idempotency_key', ['merchantId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
@Index('invoices_payer', ['merchantId', 'payerId', 'id'])
@Index('invoices_unstarted', ['createdAt'], {
  where:
    "workflow_started_at IS NULL AND status IN ('draft', 'open') AND (kind IN ('billing', 'credits') OR status = 'open')",
})
export class InvoiceEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  kind!: InvoiceKind;

  /** Unique per merchant; given when the invoice is issued. */
  @Column({ type: 'text', nullable: true })
  number!: string | null;

  @Column({ name: 'payer_kind', type: 'text' })
  payerKind!: PayerKind;

  @Column({ name: 'payer_id', type: 'text' })
  payerId!: string;

  @Column({ type: 'text' })
  status!: InvoiceStatus;

  @Column({ name: 'collection_method', type: 'text' })
  collectionMethod!: CollectionMethod;

  @Column({ name: 'payment_method_id', type: 'text', nullable: true })
  paymentMethodId!: string | null;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ name: 'subscription_id', type: 'text', nullable: true })
  subscriptionId!: string | null;

  /** The usage window [periodStart, periodEnd) of a billing invoice (or the subscription period). */
  @Column({ name: 'period_start', type: 'timestamptz', nullable: true })
  periodStart!: Date | null;

  @Column({ name: 'period_end', type: 'timestamptz', nullable: true })
  periodEnd!: Date | null;

  @Column({ type: 'numeric', default: 0 })
  total!: string;

  @Column({ name: 'amount_paid', type: 'numeric', default: 0 })
  amountPaid!: string;

  @Column({ name: 'attempt_count', type: 'int', default: 0 })
  attemptCount!: number;

  @Column({ name: 'next_payment_attempt', type: 'timestamptz', nullable: true })
  nextPaymentAttempt!: Date | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  metadata!: Record<string, string>;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash!: string | null;

  /** Set once the invoice's workflow has been started (the outbox marker). */
  /** Why its workflow stopped: the code and message of a step that could not succeed; null while it runs. */
  @Column({ name: 'workflow_failure', type: 'jsonb', nullable: true })
  workflowFailure!: { code: string; message: string } | null;

  @Column({ name: 'workflow_started_at', type: 'timestamptz', nullable: true })
  workflowStartedAt!: Date | null;

  @Column({ name: 'issued_at', type: 'timestamptz', nullable: true })
  issuedAt!: Date | null;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
