import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PayerKind } from '../payers/payer.entity.js';

/**
 * `pending`: a paid grant whose invoice is not paid yet (it cannot be drawn); `active`: drawable
 * while it has something left and has not expired; `expired` and `voided` are final.
 */
export type CreditGrantStatus = 'pending' | 'active' | 'expired' | 'voided';

/** `api`: granted through the API; `auto_top_up`: bought by the credit monitor. */
export type CreditGrantSource = 'api' | 'auto_top_up';

@Entity({ name: 'credit_grants' })
@Index('credit_grants_payer', ['merchantId', 'payerId', 'id'])
@Index('credit_grants_idempotency_key', ['merchantId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
@Index('credit_grants_invoice', ['merchantId', 'invoiceId'], { where: 'invoice_id IS NOT NULL' })
@Check('credit_grants_remaining_bounds', 'remaining >= 0 AND remaining <= amount')
export class CreditGrantEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'payer_kind', type: 'text' })
  payerKind!: PayerKind;

  @Column({ name: 'payer_id', type: 'text' })
  payerId!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'numeric' })
  amount!: string;

  /** What is left to draw; 0 once expired or voided. */
  @Column({ type: 'numeric' })
  remaining!: string;

  /** Higher draws first. */
  @Column({ type: 'int', default: 0 })
  priority!: number;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'boolean' })
  paid!: boolean;

  @Column({ type: 'text' })
  status!: CreditGrantStatus;

  @Column({ type: 'text', default: 'api' })
  source!: CreditGrantSource;

  /** The invoice a paid grant is bought with. */
  @Column({ name: 'invoice_id', type: 'text', nullable: true })
  invoiceId!: string | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash!: string | null;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  /** When `billing.credits_expiration` warned that the grant expires soon. */
  @Column({ name: 'expiration_warned_at', type: 'timestamptz', nullable: true })
  expirationWarnedAt!: Date | null;

  @Column({ name: 'expired_at', type: 'timestamptz', nullable: true })
  expiredAt!: Date | null;

  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
