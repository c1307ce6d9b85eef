import { ApiProperty } from '@nestjs/swagger';
import type { CreditGrantSource, CreditGrantStatus } from '../credit-grant.entity.js';

// Every member of the entity's unions, checked by the compiler (a runtime list for the schema).
const STATUSES: Record<CreditGrantStatus, true> = {
  pending: true,
  active: true,
  expired: true,
  voided: true,
};
const SOURCES: Record<CreditGrantSource, true> = { api: true, auto_top_up: true };

/** The statuses a grant can be in, as a runtime list (the list filter takes them too). */
export const CREDIT_GRANT_STATUSES = Object.keys(STATUSES) as CreditGrantStatus[];

/** Prepaid credits granted to a payer in one currency: free, or bought through an invoice. */
export class CreditGrant {
  /** The grant's id (`cg_…`). */
  @ApiProperty({ example: 'cg_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  id!: string;

  object!: 'credit_grant';

  /** The customer the credits belong to; null when an account holds them. */
  customer!: string | null;

  /** The account the credits belong to; null when a customer holds them. */
  account!: string | null;

  /** ISO 4217, lower case. */
  @ApiProperty({ example: 'usd' })
  currency!: string;

  /** The amount granted, in the currency's major unit with its minor-unit digits ("10.00"). */
  @ApiProperty({ example: '10.00' })
  amount!: string;

  /** What is left to draw ("0.00" once expired or voided, and while a bought grant is unpaid). */
  @ApiProperty({ example: '7.50' })
  remaining!: string;

  /** Higher is drawn first. */
  @ApiProperty({ type: 'integer' })
  priority!: number;

  /** ISO 8601; when what is left expires. Null: never. */
  expires_at!: string | null;

  description!: string | null;

  /** true: bought by the payer (through `invoice`); false: a free grant. */
  paid!: boolean;

  /**
   * `pending`: a bought grant whose invoice is not paid yet (not drawable); `active`: drawable;
   * `expired` and `voided` are final.
   */
  @ApiProperty({ enum: CREDIT_GRANT_STATUSES })
  status!: CreditGrantStatus;

  /** `api`: granted through the API; `auto_top_up`: bought by the credit monitor. */
  @ApiProperty({ enum: Object.keys(SOURCES) })
  source!: CreditGrantSource;

  /** The invoice a bought grant is paid with (`inv_…`); null for a free grant. */
  invoice!: string | null;

  /** ISO 8601; when the grant became drawable. */
  activated_at!: string | null;

  /** ISO 8601. */
  expired_at!: string | null;

  /** ISO 8601. */
  voided_at!: string | null;

  /** ISO 8601. */
  created_at!: string;
}

/** A payer's credits in one currency, beside the grants list. */
export class CreditGrantListBalance {
  /** ISO 4217, lower case. */
  currency!: string;

  /** The balance drawable now (the sum of the ledger). */
  @ApiProperty({ example: '7.50' })
  available!: string;

  /** What bought grants not yet paid will add once their invoices are paid. */
  @ApiProperty({ example: '0.00' })
  pending!: string;
}

/** A page of a payer's grants, newest first, and its balance in each currency (all of them, or `currency`'s). */
export class CreditGrantList {
  object!: 'list';

  @ApiProperty({ type: () => [CreditGrant] })
  data!: CreditGrant[];

  /** Whether a next page exists (ask with starting_after = the last id). */
  has_more!: boolean;

  /** The payer's balance per currency: not paged (every currency the payer has credits in, or the one asked for). */
  @ApiProperty({ type: () => [CreditGrantListBalance] })
  balances!: CreditGrantListBalance[];
}
