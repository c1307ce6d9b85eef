import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The sandbox gateway's own record of the charges it processed, standing in for the card
 * network's: it is how the sandbox honours idempotency keys across restarts of every process.
 */
@Entity({ name: 'sandbox_gateway_charges' })
@Index('sandbox_gateway_charges_reference', ['merchantId', 'reference', 'token'])
export class SandboxChargeEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column({ name: 'gateway_charge_id', type: 'text' })
  gatewayChargeId!: string;

  @Column({ type: 'text' })
  reference!: string;

  @Column({ type: 'text' })
  token!: string;

  @Column({ name: 'amount_minor', type: 'numeric' })
  amountMinor!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'text' })
  status!: 'succeeded' | 'declined';

  @Column({ name: 'decline_code', type: 'text', nullable: true })
  declineCode!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
