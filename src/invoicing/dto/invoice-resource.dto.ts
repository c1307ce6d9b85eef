import { ApiProperty } from '@nestjs/swagger';
import { ApiExactlyOne } from '../../common/http/openapi/api-contract.js';
import { CHARGE_STATUSES, type ChargeStatus } from '../charge.entity.js';
import {
  COLLECTION_METHODS,
  type CollectionMethod,
  INVOICE_STATUSES,
  type InvoiceStatus,
} from '../domain/invoice-status.js';
import { INVOICE_LINE_KINDS, type InvoiceLineKind } from '../invoice-line.entity.js';
import { INVOICE_KINDS, type InvoiceKind } from '../invoice.entity.js';
import { ApiNullableObject, type Nullable } from '../../common/http/openapi/nullable.js';
import { WorkflowFailure } from './workflow-failure-resource.dto.js';

// Enums, arrays and classes from other files are declared with @ApiProperty as well as typed:
// the in-process test app compiles each file alone (ts-jest), where the plugin cannot see them.

/** One row of a usage line's breakdown, exact: the units of the period that fell in (from, to]. */
export class InvoiceLineTier {
  /** The tier's lower bound (exclusive), an exact decimal. */
  @ApiProperty({ example: '1000' })
  from!: string;

  /** The tier's upper bound (inclusive); null for the open-ended last tier. */
  @ApiProperty({ type: 'string', nullable: true, example: '100000' })
  to!: string | null;

  /** Units billed in the tier (a package price: the number of packages). */
  @ApiProperty({ example: '99000' })
  quantity!: string;

  /** The price of each unit (a package price: of each package). */
  @ApiProperty({ example: '0.002' })
  unit_amount!: string;

  /** Added once for the tier. */
  @ApiProperty({ example: '0' })
  flat_amount!: string;

  /** quantity × unit_amount + flat_amount, exact (not rounded). */
  @ApiProperty({ example: '198' })
  amount!: string;
}

/** One line of an invoice; its amount is rounded once to the currency's minor unit. */
export class InvoiceLineItem {
  /** The line's id (`il_…`). */
  @ApiProperty({ example: 'il_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  id!: string;

  object!: 'invoice_line_item';

  /** The invoice the line is on (`inv_…`). */
  invoice!: string;

  /**
   * `usage`: a metric's usage in the invoice's window; `late_usage`: usage from windows already
   * invoiced; `adjustment`: what corrected events change in a period already invoiced (negative
   * or positive; the description names the corrected invoice); `manual`: added through the API;
   * `credits_applied`: prepaid credits drawn (a negative amount; positive for credits a
   * correction returned); `credit_purchase`: a bought credit grant; `minimum_commitment`: a
   * subscription period's shortfall; `balance_carried`: a negative invoice's amount carried to
   * the payer's invoice balance (positive, closing the invoice at zero); `balance_applied`: the
   * invoice balance taken off this invoice (negative).
   */
  @ApiProperty({ enum: INVOICE_LINE_KINDS })
  kind!: InvoiceLineKind;

  /** The billing metric a usage line prices (`bm_…`); null on other lines. */
  metric!: string | null;

  description!: string;

  /** An exact decimal ("1", "0.25"). */
  @ApiProperty({ example: '2' })
  quantity!: string;

  /** The price of one unit, an exact decimal; null on a usage line priced by tiers or packages. */
  @ApiProperty({ type: 'string', nullable: true, example: '12.50' })
  unit_amount!: string | null;

  /**
   * In the currency's minor-unit digits; negative for credits applied. A usage line's amount is
   * its metric's price applied to the whole billing period's quantity (rounded once), less what
   * earlier invoices billed of the same period: the sum of its tiers, within the price's minimum
   * and maximum.
   */
  @ApiProperty({ example: '25.00' })
  amount!: string;

  /**
   * A usage line's breakdown by tier over its billing period, exact, so it can be checked (for
   * a line billing the rest of a period billed earlier: each tier's change); null on other lines.
   */
  @ApiProperty({ type: () => [InvoiceLineTier], nullable: true })
  tiers!: InvoiceLineTier[] | null;

  /**
   * The billing period a usage line prices (ISO 8601): the invoice's window, the earlier window
   * late usage belongs to, or a prepaid payer's credit window (UTC month); null on other lines.
   */
  @ApiProperty({ type: 'string', nullable: true, example: '2026-11-01T00:00:00.000Z' })
  period_start!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: '2026-12-01T00:00:00.000Z' })
  period_end!: string | null;
}

/** All of an invoice's lines (an invoice never pages them). */
export class InvoiceLineList {
  object!: 'list';

  @ApiProperty({ type: () => [InvoiceLineItem] })
  data!: InvoiceLineItem[];

  /** Always false: every line is included. */
  has_more!: boolean;
}

/** One attempt to collect an invoice through the payment gateway. */
export class Charge {
  /** The charge's id (`ch_…`). */
  @ApiProperty({ example: 'ch_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  id!: string;

  object!: 'charge';

  /** The invoice charged (`inv_…`). */
  invoice!: string;

  /** 1 for the first attempt, counting up with each retry or `pay`. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  attempt!: number;

  @ApiProperty({ enum: CHARGE_STATUSES })
  status!: ChargeStatus;

  /** The invoice's total at the attempt, in the currency's minor-unit digits. */
  @ApiProperty({ example: '25.00' })
  amount!: string;

  /** ISO 4217, lower case. */
  @ApiProperty({ example: 'usd' })
  currency!: string;

  /** The payment method charged (`pm_…`); null when the payer had none to charge. */
  payment_method!: string | null;

  /** Why it failed: the gateway's decline code (`card_declined`, …) or `payment_method_missing`. */
  failure_code!: string | null;

  failure_message!: string | null;

  /** ISO 8601. */
  created!: string;
}

/** An invoice, as lists and webhooks give it: exactly one of `customer` / `account` pays it. */
@ApiExactlyOne(['customer', 'account'])
export class Invoice {
  /** The invoice's id (`inv_…`). */
  @ApiProperty({ example: 'inv_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  id!: string;

  object!: 'invoice';

  /** Unique per merchant ("INV-000042"); null until the invoice is issued. */
  number!: string | null;

  /** The paying customer (`cus_…`), when a customer pays. */
  customer?: string;

  /** The paying account (`acct_…`), when an account pays. */
  account?: string;

  /**
   * `billing`: a window's usage, built by its workflow; `manual`: lines added through the API;
   * `subscription`: a subscription period's base fee or overage; `credits`: a bought credit grant.
   */
  @ApiProperty({ enum: INVOICE_KINDS })
  kind!: InvoiceKind;

  /**
   * `draft` → `open` (issued, numbered) → `paid`, `void`, or `uncollectible` once its charge
   * retries are spent (which can still be paid or voided).
   */
  @ApiProperty({ enum: INVOICE_STATUSES })
  status!: InvoiceStatus;

  @ApiProperty({ enum: COLLECTION_METHODS })
  collection_method!: CollectionMethod;

  /** The payment method the invoice is charged with (`pm_…`); null: the payer's default. */
  payment_method!: string | null;

  /** ISO 4217, lower case. */
  @ApiProperty({ example: 'usd' })
  currency!: string;

  /** ISO 8601; the start of the billed window (inclusive); null on manual and credits invoices. */
  period_start!: string | null;

  /** ISO 8601; the end of the billed window (exclusive). */
  period_end!: string | null;

  description!: string | null;

  /** The merchant's own string keys and values. */
  metadata!: Record<string, string>;

  lines!: InvoiceLineList;

  /** The sum of the lines, in the currency's minor-unit digits ("0.00" until a billing invoice is issued). */
  @ApiProperty({ example: '25.00' })
  total!: string;

  @ApiProperty({ example: '0.00' })
  amount_paid!: string;

  /** total − amount_paid; "0.00" once paid or void. */
  @ApiProperty({ example: '25.00' })
  amount_due!: string;

  /** How many charges were attempted. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  attempt_count!: number;

  /** ISO 8601; when the next charge retry is scheduled; null when none is. */
  next_payment_attempt!: string | null;

  /** ISO 8601. */
  created!: string;

  /** ISO 8601. */
  issued_at!: string | null;

  /** ISO 8601. */
  paid_at!: string | null;

  /** ISO 8601. */
  voided_at!: string | null;

  /** Why the invoice's workflow stopped on a step that cannot succeed; null otherwise. */
  @ApiNullableObject(WorkflowFailure)
  workflow_failure!: Nullable<WorkflowFailure>;
}

/** An invoice with its charge attempts: the answer of every operation on one invoice. */
@ApiExactlyOne(['customer', 'account'])
export class InvoiceWithCharges extends Invoice {
  /** Every charge attempt, oldest first. */
  @ApiProperty({ type: () => [Charge] })
  charges!: Charge[];
}
