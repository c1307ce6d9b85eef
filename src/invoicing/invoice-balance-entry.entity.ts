import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * `carried`: a negative invoice's amount, now owed to the payer (positive); `applied`: taken off
 * an invoice (negative); `restored`: an applied amount given back when its invoice was voided.
 */
export const INVOICE_BALANCE_ENTRY_KINDS = ['carried', 'applied', 'restored'] as const;
export type InvoiceBalanceEntryKind = (typeof INVOICE_BALANCE_ENTRY_KINDS)[number];

/** One movement of a payer's invoice balance in one currency; the balance is the sum of its entries. */
@Entity({ name: 'invoice_balance_entries' })
@Index('invoice_balance_entries_payer_idx', ['merchantId', 'payerId', 'currency'])
export class InvoiceBalanceEntryEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ name: 'invoice_id', type: 'text' })
  invoiceId!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: InvoiceBalanceEntryKind;

  @Column({ name: 'payer_id', type: 'text' })
  payerId!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'numeric' })
  amount!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
