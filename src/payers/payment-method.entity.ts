import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A tokenized card attached to one payer; the token is what the gateway charges. */
@Entity({ name: 'payment_methods' })
@Index('payment_methods_payer_idx', ['merchantId', 'payerId', 'id'])
export class PaymentMethodEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'payer_id', type: 'text' })
  payerId!: string;

  @Column({ type: 'text' })
  token!: string;

  @Column({ type: 'text' })
  brand!: string;

  @Column({ type: 'text' })
  last4!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
