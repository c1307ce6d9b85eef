import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The usage ledger's record of a window a billing invoice claimed: events of that window that
 * arrive later are late usage, billed on the payer's next invoice. Released when the invoice is
 * voided. The ledger keeps this itself, so it never reads the invoices table.
 */
@Entity({ name: 'usage_claims' })
@Index('usage_claims_live_payer_idx', ['merchantId', 'payerId'], { where: 'released_at IS NULL' })
export class UsageClaimEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ name: 'invoice_id', type: 'text' })
  invoiceId!: string;

  @Column({ name: 'payer_id', type: 'text' })
  payerId!: string;

  @Column({ name: 'period_start', type: 'timestamptz' })
  periodStart!: Date;

  @Column({ name: 'period_end', type: 'timestamptz' })
  periodEnd!: Date;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
