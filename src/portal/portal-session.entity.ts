import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A short-lived view of one payer's billing for that payer (the customer portal). Only the
 * token's SHA-256 is stored; the token itself is in the create's answer alone.
 */
@Entity({ name: 'portal_sessions' })
@Check('CHK_portal_sessions_one_payer', '("customer_id" IS NULL) <> ("account_id" IS NULL)')
@Index('portal_sessions_token_hash_key', ['tokenHash'], { unique: true })
@Index('portal_sessions_idempotency_key', ['merchantId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
export class PortalSessionEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'customer_id', type: 'text', nullable: true })
  customerId!: string | null;

  @Column({ name: 'account_id', type: 'text', nullable: true })
  accountId!: string | null;

  /** SHA-256 (hex) of the session's token. */
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ name: 'return_url', type: 'text', nullable: true })
  returnUrl!: string | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  /** Hash of the create request, so that a reused Idempotency-Key with another body is refused. */
  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
