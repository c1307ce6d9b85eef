import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const CHARGE_STATUSES = ['succeeded', 'failed'] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

/** One attempt to collect an invoice through the gateway, succeeded or declined. */
@Entity({ name: 'charges' })
@Index('charges_invoice_attempt_key', ['merchantId', 'invoiceId', 'attempt'], { unique: true })
export class ChargeEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'invoice_id', type: 'text' })
  invoiceId!: string;

  @Column({ type: 'int' })
  attempt!: number;

  /** Sent to the gateway: invoice id and attempt, so a repeated call never charges twice. */
  @Column({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  /** Null when there was no payment method to charge (the attempt failed without reaching the gateway). */
  @Column({ name: 'payment_method_id', type: 'text', nullable: true })
  paymentMethodId!: string | null;

  @Column({ type: 'numeric' })
  amount!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'text' })
  status!: ChargeStatus;

  @Column({ name: 'failure_code', type: 'text', nullable: true })
  failureCode!: string | null;

  @Column({ name: 'failure_message', type: 'text', nullable: true })
  failureMessage!: string | null;

  @Column({ name: 'gateway_charge_id', type: 'text', nullable: true })
  gatewayChargeId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
