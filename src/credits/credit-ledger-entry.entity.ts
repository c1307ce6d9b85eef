import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * `grant`: a grant became drawable (+); `draw`: usage consumed it (−); `return`: an event
 * correction lowered a window's usage and gave back what the grant drew for it (+); `expiry` and
 * `void`: the remainder left (−). The balance is the sum of a payer's entries in a currency.
 */
export type CreditLedgerKind = 'grant' | 'draw' | 'return' | 'expiry' | 'void';

/**
 * What caused a draw: a rollup batch (id: its last ingestion seq), or an invoice or subscription
 * period that folded its payer's pending events; what caused a return: an event correction (id:
 * the corrected event).
 */
export type CreditDrawSource = 'rollup' | 'invoice' | 'subscription' | 'correction';

@Entity({ name: 'credit_ledger_entries' })
@Index('credit_ledger_entries_payer', ['merchantId', 'payerId', 'currency', 'id'])
@Index('credit_ledger_entries_window', ['merchantId', 'payerId', 'currency', 'windowStart'], {
  where: "kind IN ('draw', 'return')",
})
export class CreditLedgerEntryEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'payer_id', type: 'text' })
  payerId!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ name: 'grant_id', type: 'text' })
  grantId!: string;

  @Column({ type: 'text' })
  kind!: CreditLedgerKind;

  /** Signed: positive for grants, negative for everything that takes from them. */
  @Column({ type: 'numeric' })
  amount!: string;

  /** The payer's balance in the currency right after this entry. */
  @Column({ name: 'balance_after', type: 'numeric' })
  balanceAfter!: string;

  /** The credit window (UTC month) whose usage a draw paid for. */
  @Column({ name: 'window_start', type: 'timestamptz', nullable: true })
  windowStart!: Date | null;

  @Column({ name: 'source_type', type: 'text', nullable: true })
  sourceType!: CreditDrawSource | null;

  /** The rollup batch's last seq, or the invoice id. */
  @Column({ name: 'source_id', type: 'text', nullable: true })
  sourceId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
