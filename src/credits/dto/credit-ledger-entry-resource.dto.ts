import { ApiExtraModels, ApiProperty } from '@nestjs/swagger';
import type { CreditDrawSource, CreditLedgerKind } from '../credit-ledger-entry.entity.js';
import { nullableRef, type Nullable } from '../../common/http/openapi/nullable.js';

// Every member of the entity's unions, checked by the compiler (a runtime list for the schema).
const DRAW_SOURCES: Record<CreditDrawSource, true> = {
  rollup: true,
  invoice: true,
  subscription: true,
  correction: true,
};
const LEDGER_KINDS: Record<CreditLedgerKind, true> = {
  grant: true,
  draw: true,
  return: true,
  expiry: true,
  void: true,
};

/** What made a draw or a return. */
export class CreditLedgerEntrySource {
  /**
   * `rollup`: a rollup batch; `invoice`: an invoice; `subscription`: a subscription period;
   * `correction`: an event correction (a return).
   */
  @ApiProperty({ enum: Object.keys(DRAW_SOURCES) })
  type!: CreditDrawSource;

  /** The rollup batch's last ingestion seq, the invoice's or subscription's id, or the corrected event's id. */
  id!: string;
}

/** One change to a payer's credits in a currency. */
@ApiExtraModels(CreditLedgerEntrySource)
export class CreditLedgerEntry {
  /** The entry's id (`cle_…`). */
  @ApiProperty({ example: 'cle_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  id!: string;

  object!: 'credit_ledger_entry';

  /** The grant the entry changed (`cg_…`). */
  grant!: string;

  /** ISO 4217, lower case. */
  currency!: string;

  /**
   * `grant`: a grant became drawable (+); `draw`: usage consumed it (−); `return`: an event
   * correction gave back what it drew for a window (+); `expiry` and `void`: what was left of it
   * left the balance (−).
   */
  @ApiProperty({ enum: Object.keys(LEDGER_KINDS) })
  kind!: CreditLedgerKind;

  /** Signed, in the currency's major unit: positive for a grant, negative otherwise ("-2.50"). */
  @ApiProperty({ example: '-2.50' })
  amount!: string;

  /** The payer's balance in the currency right after this entry. */
  @ApiProperty({ example: '7.50' })
  balance_after!: string;

  /** ISO 8601; for a draw, the start of the credit window (UTC month) whose usage it paid for. */
  window_start!: string | null;

  /** What made a draw; null for the other kinds. */
  @ApiProperty(nullableRef(CreditLedgerEntrySource))
  source!: Nullable<CreditLedgerEntrySource>;

  /** ISO 8601. */
  created_at!: string;
}
