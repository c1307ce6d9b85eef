import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type PayerKind = 'customer' | 'account';

/** Who pays for the payer's usage: its prepaid credits, or a subscription (never both). */
export type BillingMode = 'prepaid' | 'subscription';

/** A customer or an account: the two kinds of payer share one table and one shape. */
@Entity({ name: 'payers' })
@Index('payers_external_id_key', ['merchantId', 'kind', 'externalId'], {
  unique: true,
  where: 'external_id IS NOT NULL',
})
export class PayerEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  kind!: PayerKind;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  metadata!: Record<string, string>;

  @Column({ name: 'default_payment_method_id', type: 'text', nullable: true })
  defaultPaymentMethodId!: string | null;

  /** Claimed by the first credit account or subscription; see PayersService.claimBillingMode. */
  @Column({ name: 'billing_mode', type: 'text', nullable: true })
  billingMode!: BillingMode | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
