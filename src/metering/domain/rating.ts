import { roundMoney } from '../../common/money/rounding.js';
import { decimalText, ExactDecimal } from '../../common/money/decimal.js';
import type { Price, PriceBounds, Tier } from './price.js';

export { perUnit, type Price } from './price.js';

/**
 * One row of a priced line's breakdown, exact (never rounded): the units of `quantity` that fell
 * in (from, to] at `unitAmount` each, plus the tier's flat amount once. A package price has one
 * row whose quantity is the number of packages and whose unit amount is the package amount.
 */
export interface TierAmount {
  from: string;
  to: string | null;
  quantity: string;
  unitAmount: string;
  flatAmount: string;
  amount: string;
}

/** A quantity at a price: the exact breakdown, and the line's amount, rounded once. */
export interface PricedQuantity {
  /** The breakdown's exact total, before the line's minimum and maximum. */
  subtotal: string;
  /** Which bound of the price set the amount, if one did. */
  bound: 'minimum' | 'maximum' | null;
  /** The line's amount: the subtotal within the bounds, rounded half-up to the minor unit once. */
  amount: string;
  tiers: TierAmount[];
}

const ZERO = new ExactDecimal(0);

/**
 * The one rating function: the quantity of a whole billing period at `price`, its first
 * `included` units free (a subscription's allotment), rounded once to the currency's minor unit.
 * Reports, invoice lines, credit draws, subscription overage and the preview all price here, so
 * the same period's usage always costs the same, however it was logged or folded.
 *
 * Tiers and packages apply to the period's quantity above `included`; a quantity with nothing
 * above it prices at zero with no flat amount and no minimum. A per-unit price prices a negative
 * quantity (a correction) at its negative, never raised to its minimum; the other models price
 * it at zero.
 */
export function priceQuantity(
  quantity: string,
  price: Price,
  currency: string,
  included = '0',
): PricedQuantity {
  const total = new ExactDecimal(quantity);
  const free = ExactDecimal.max(new ExactDecimal(included), 0);
  const billable = total.minus(free);
  let rows: TierAmount[];
  switch (price.model) {
    case 'per_unit':
      rows =
        billable.isZero() || (billable.isNegative() && !free.isZero())
          ? []
          : [perUnitRow(billable, price.unitAmount)];
      break;
    case 'graduated':
      rows = graduatedRows(price.tiers, free, total);
      break;
    case 'volume':
      rows = billable.greaterThan(0) ? [volumeRow(price.tiers, total, billable)] : [];
      break;
    case 'package':
      rows = billable.greaterThan(0)
        ? [packageRow(price.packageSize, price.packageAmount, price.rounding, billable)]
        : [];
      break;
  }
  const subtotal = rows.reduce((sum, row) => sum.plus(row.amount), ZERO);
  if (rows.length === 0) return { subtotal: '0', bound: null, amount: roundMoney(ZERO, currency), tiers: [] };
  // The bounds hold billable usage only: a per-unit correction below zero stays its negative.
  const { value, bound } = billable.greaterThan(0)
    ? withinBounds(subtotal, price)
    : { value: subtotal, bound: null };
  return { subtotal: decimalText(subtotal), bound, amount: roundMoney(value, currency), tiers: rows };
}

/** The amount alone of `priceQuantity`. */
export function rate(quantity: string, price: Price, currency: string, included = '0'): string {
  return priceQuantity(quantity, price, currency, included).amount;
}

/**
 * The signed difference for a closed period: what the period's usage now costs (`quantity`, all
 * of it) less what was already billed for it (`billed`, the sum of the line amounts billed for
 * the period). Billing it keeps the period's total exactly at the price of its whole usage, so
 * late usage is priced at the tiers it reaches, never at the first tier again. The breakdown is
 * the change in each tier from `billedQuantity` (the quantity those lines billed) to `quantity`.
 * Corrections (voids and amendments of billed events) bill the same difference.
 */
export function closedPeriodDifference(input: {
  billedQuantity: string;
  billed: string;
  quantity: string;
  price: Price;
  currency: string;
  included?: string;
}): PricedQuantity {
  const after = priceQuantity(input.quantity, input.price, input.currency, input.included);
  const before = priceQuantity(input.billedQuantity, input.price, input.currency, input.included);
  const amount = new ExactDecimal(after.amount).minus(input.billed);
  return {
    subtotal: decimalText(new ExactDecimal(after.subtotal).minus(before.subtotal)),
    bound: after.bound,
    amount: roundMoney(amount, input.currency),
    tiers: tierChanges(before.tiers, after.tiers),
  };
}

function perUnitRow(quantity: ExactDecimal, unitAmount: string): TierAmount {
  return {
    from: '0',
    to: null,
    quantity: decimalText(quantity),
    unitAmount,
    flatAmount: '0',
    amount: decimalText(quantity.times(unitAmount)),
  };
}

/** Each unit in (free, total] at the tier it falls in; each tier with a billed unit adds its flat amount. */
function graduatedRows(tiers: readonly Tier[], free: ExactDecimal, total: ExactDecimal): TierAmount[] {
  const rows: TierAmount[] = [];
  let from = ZERO;
  for (const tier of tiers) {
    const to = tier.upTo === null ? null : new ExactDecimal(tier.upTo);
    const low = ExactDecimal.max(from, free);
    const high = to === null ? total : ExactDecimal.min(to, total);
    if (high.greaterThan(low)) {
      const units = high.minus(low);
      rows.push({
        from: decimalText(from),
        to: tier.upTo,
        quantity: decimalText(units),
        unitAmount: tier.unitAmount,
        flatAmount: tier.flatAmount,
        amount: decimalText(units.times(tier.unitAmount).plus(tier.flatAmount)),
      });
    }
    if (to === null || !total.greaterThan(to)) break;
    from = to;
  }
  return rows;
}

/** The tier the whole quantity falls in prices every billed unit, plus that tier's flat amount. */
function volumeRow(tiers: readonly Tier[], total: ExactDecimal, billable: ExactDecimal): TierAmount {
  let from = ZERO;
  for (const tier of tiers) {
    if (tier.upTo === null || !total.greaterThan(tier.upTo)) {
      return {
        from: decimalText(from),
        to: tier.upTo,
        quantity: decimalText(billable),
        unitAmount: tier.unitAmount,
        flatAmount: tier.flatAmount,
        amount: decimalText(billable.times(tier.unitAmount).plus(tier.flatAmount)),
      };
    }
    from = new ExactDecimal(tier.upTo);
  }
  throw new Error('a volume price ends with an open-ended tier');
}

/** Whole packages of `size` for the billed quantity, a partial package counted (up) or dropped (down). */
function packageRow(
  size: string,
  packageAmount: string,
  rounding: 'up' | 'down',
  billable: ExactDecimal,
): TierAmount {
  const exact = billable.div(size);
  const packages = rounding === 'up' ? exact.ceil() : exact.floor();
  return {
    from: '0',
    to: null,
    quantity: decimalText(packages),
    unitAmount: packageAmount,
    flatAmount: '0',
    amount: decimalText(packages.times(packageAmount)),
  };
}

function withinBounds(subtotal: ExactDecimal, bounds: PriceBounds) {
  if (bounds.minimumAmount !== null && subtotal.lessThan(bounds.minimumAmount)) {
    return { value: new ExactDecimal(bounds.minimumAmount), bound: 'minimum' as const };
  }
  if (bounds.maximumAmount !== null && subtotal.greaterThan(bounds.maximumAmount)) {
    return { value: new ExactDecimal(bounds.maximumAmount), bound: 'maximum' as const };
  }
  return { value: subtotal, bound: null };
}

/** Each tier's change from `before` to `after` (matched by `from`), rows that did not change left out. */
function tierChanges(before: readonly TierAmount[], after: readonly TierAmount[]): TierAmount[] {
  const keys = [...new Set([...before, ...after].map((row) => `${row.from}\u0000${row.to}`))];
  const changes: TierAmount[] = [];
  for (const key of keys) {
    const a = before.find((row) => `${row.from}\u0000${row.to}` === key);
    const b = after.find((row) => `${row.from}\u0000${row.to}` === key);
    const template = (b ?? a)!;
    const quantity = new ExactDecimal(b?.quantity ?? 0).minus(a?.quantity ?? 0);
    const amount = new ExactDecimal(b?.amount ?? 0).minus(a?.amount ?? 0);
    if (quantity.isZero() && amount.isZero()) continue;
    changes.push({
      ...template,
      quantity: decimalText(quantity),
      flatAmount: decimalText(new ExactDecimal(b?.flatAmount ?? 0).minus(a?.flatAmount ?? 0)),
      amount: decimalText(amount),
    });
  }
  return changes.sort((x, y) => new ExactDecimal(x.from).comparedTo(y.from));
}
