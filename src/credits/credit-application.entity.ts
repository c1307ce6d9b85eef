import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Credits an invoice applied to one credit window of its payer's usage: the window's share the
 * invoice billed, how much of it drawn credits paid (`applied`), and the rest it charged. A void
 * invoice releases its applications, so the drawn credits apply to whichever invoice bills next.
 */
@Entity({ name: 'credit_applications' })
@Index('credit_applications_window', ['merchantId', 'payerId', 'currency', 'windowStart'])
export class CreditApplicationEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ name: 'invoice_id', type: 'text' })
  invoiceId!: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ name: 'payer_id', type: 'text' })
  payerId!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'numeric' })
  share!: string;

  @Column({ type: 'numeric' })
  applied!: string;

  @Column({ type: 'numeric' })
  uncovered!: string;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
