import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PayerKind } from '../payers/payer.entity.js';

/**
 * A payer's credits in one currency: the settings (threshold, auto top-up) and the monitor's
 * one-shot flags. Every change to the payer's grants locks this row first, so draws, expiries,
 * voids and top-ups of one payer happen one at a time and the ledger's running balance is exact.
 */
@Entity({ name: 'credit_accounts' })
@Index('credit_accounts_unstarted', ['createdAt'], { where: 'workflow_started_at IS NULL' })
export class CreditAccountEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ name: 'payer_id', type: 'text' })
  payerId!: string;

  @PrimaryColumn({ type: 'text' })
  currency!: string;

  @Column({ name: 'payer_kind', type: 'text' })
  payerKind!: PayerKind;

  /** The running balance: the sum of the payer's ledger entries in this currency. */
  @Column({ type: 'numeric', default: 0 })
  balance!: string;

  /** `percent` of the granted amount, or an absolute `amount`. */
  @Column({ name: 'threshold_kind', type: 'text', default: 'percent' })
  thresholdKind!: 'percent' | 'amount';

  @Column({ name: 'threshold_value', type: 'numeric', default: 20 })
  thresholdValue!: string;

  @Column({ name: 'auto_top_up_threshold', type: 'numeric', nullable: true })
  autoTopUpThreshold!: string | null;

  @Column({ name: 'auto_top_up_amount', type: 'numeric', nullable: true })
  autoTopUpAmount!: string | null;

  @Column({ name: 'threshold_notified', type: 'boolean', default: false })
  thresholdNotified!: boolean;

  @Column({ name: 'depletion_notified', type: 'boolean', default: false })
  depletionNotified!: boolean;

  @Column({ name: 'top_up_spent', type: 'boolean', default: false })
  topUpSpent!: boolean;

  /** Auto top-ups bought so far (each one's idempotency key). */
  @Column({ name: 'top_ups', type: 'int', default: 0 })
  topUps!: number;

  /** When the balance last ran out: grants consumed before it no longer count as granted. */
  @Column({ name: 'depleted_at', type: 'timestamptz', nullable: true })
  depletedAt!: Date | null;

  @Column({ name: 'workflow_started_at', type: 'timestamptz', nullable: true })
  workflowStartedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
