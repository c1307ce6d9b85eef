import { decimalText, ExactDecimal } from '../../common/money/decimal.js';
import { perUnit, priceFromJson, unitAmountOf, type Price } from '../../metering/domain/price.js';
import { closedPeriodDifference, type TierAmount } from '../../metering/domain/rating.js';
import type { PlanItem } from '../subscription.entity.js';

/** One item of a subscription in one period: its allotment, its price and what the period used so far. */
export interface ItemUsage {
  metricId: string;
  name: string;
  includedQuantity: string;
  /** The overage price (the item's, else the metric's). */
  price: Price;
  used: string;
  /** The period's usage as of its last overage bill ('0' before the first). */
  billedUsage: string;
  /** The overage amount billed so far in the period. */
  billedAmount: string;
}

export interface OverageLine {
  metricId: string;
  description: string;
  /** The overage quantity this line adds to what was billed. */
  quantity: string;
  unitAmount: string | null;
  amount: string;
  tiers: TierAmount[];
}

/** The price an item's overage is billed at: its own (`price`, or a `unitAmount` of old), else the metric's. */
export function itemPrice(item: Pick<PlanItem, 'price' | 'unitAmount'>, metricPrice: Price): Price {
  if (item.price) return priceFromJson(item.price);
  if (item.unitAmount !== null) return perUnit(item.unitAmount);
  return metricPrice;
}

/** Usage above the allotment, never negative. */
export function overageQuantity(used: string, included: string): string {
  const over = new ExactDecimal(used).minus(included);
  return over.isPositive() && !over.isZero() ? decimalText(over) : '0';
}

/** Whether usage has crossed the allotment (strictly above it). */
export function isOver(used: string, included: string): boolean {
  return new ExactDecimal(used).greaterThan(included);
}

/**
 * The overage still to invoice for each item: the price of the period's usage so far (its first
 * `included` units free, tiers over the whole period) less what earlier bills of the period
 * charged, so a "bill now" and the period end together bill exactly the period's price. Items
 * with no new overage give no line; nor does one whose amount went down (a volume price can:
 * nothing is charged, and later bills still count from what was charged).
 */
export function overageLines(items: readonly ItemUsage[], currency: string): OverageLine[] {
  const lines: OverageLine[] = [];
  for (const item of items) {
    const line = overageLine(item, currency);
    if (!new ExactDecimal(line.quantity).greaterThan(0) || new ExactDecimal(line.amount).isNegative())
      continue;
    lines.push(line);
  }
  return lines;
}

/** An item's overage since its last bill: the price of the period's usage now less what was billed. */
function overageLine(item: ItemUsage, currency: string): OverageLine {
  const priced = closedPeriodDifference({
    billedQuantity: item.billedUsage,
    billed: item.billedAmount,
    quantity: item.used,
    price: item.price,
    currency,
    included: item.includedQuantity,
  });
  return {
    metricId: item.metricId,
    description: `${item.name} overage (above ${decimalText(new ExactDecimal(item.includedQuantity))} included)`,
    quantity: decimalText(
      new ExactDecimal(overageQuantity(item.used, item.includedQuantity)).minus(
        overageQuantity(item.billedUsage, item.includedQuantity),
      ),
    ),
    unitAmount: unitAmountOf(item.price),
    amount: priced.amount,
    tiers: priced.tiers,
  };
}

/**
 * The true-up of a period's usage commitment: what the period's usage lines (`billed`, all of
 * them) fall short of `minimum`, or null when they reach it or there is no minimum.
 */
export function minimumTrueUp(minimum: string | null, billed: string): string | null {
  if (minimum === null) return null;
  const short = new ExactDecimal(minimum).minus(billed);
  return short.greaterThan(0) ? decimalText(short) : null;
}

/**
 * What corrected events change in a closed period's overage, per item: the price of its usage now
 * (first `included` units free, tiers over the whole period) less what the period's bills
 * charged, negative or positive; items whose amount did not change give no line.
 */
export function correctionLines(items: readonly ItemUsage[], currency: string): OverageLine[] {
  return items
    .map((item) => overageLine(item, currency))
    .filter((line) => !new ExactDecimal(line.amount).isZero());
}

/**
 * How a closed period's minimum true-up changes when corrections move its usage lines' total
 * from `before` to `after` (the period billed max(0, minimum − before) when it closed): signed,
 * or null when it does not change or there is no minimum.
 */
export function trueUpChange(minimum: string | null, before: string, after: string): string | null {
  if (minimum === null) return null;
  const owed = (billed: string) => ExactDecimal.max(new ExactDecimal(minimum).minus(billed), 0);
  const change = owed(after).minus(owed(before));
  return change.isZero() ? null : decimalText(change);
}
