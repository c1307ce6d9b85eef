import { decimalText, ExactDecimal } from '../../common/money/decimal.js';

/** A quantity, its amount (already rounded to the currency) and its event count. */
export interface UsageFigures {
  quantity: string;
  amount: string;
  event_count: number;
}

/** One payer's report of one metric: its figures, and its series and breakdown when asked. */
export interface PayerUsage extends UsageFigures {
  series?: (UsageFigures & { start: string; end: string })[];
  groups?: (UsageFigures & { value: string | null })[];
}

function added<T extends UsageFigures>(a: T, b: UsageFigures, digits: number): T {
  return {
    ...a,
    quantity: decimalText(new ExactDecimal(a.quantity).plus(b.quantity)),
    amount: new ExactDecimal(a.amount).plus(b.amount).toFixed(digits),
    event_count: a.event_count + b.event_count,
  };
}

/**
 * The merchant-wide usage of one metric: each payer is priced on its own usage, as it is billed
 * (its tiers, its minimum), so the whole is the sum of the payers' reports. Quantities add too,
 * whatever the aggregation: the sum of what each payer is billed on. `none` is the report of no
 * usage (its series lists the window's periods); every payer's series has those same periods.
 * Groups add by value, in the order their values first appear.
 */
export function sumPayerUsage(none: PayerUsage, payers: PayerUsage[], digits: number): PayerUsage {
  return payers.reduce<PayerUsage>((total, payer) => {
    const sum: PayerUsage = added(total, payer, digits);
    if (total.series) {
      sum.series = total.series.map((period, index) => {
        const other = payer.series?.[index];
        if (!other || other.start !== period.start || other.end !== period.end) {
          throw new Error(`payer series differ at period ${index}`);
        }
        return added(period, other, digits);
      });
    }
    if (total.groups) {
      const groups = new Map(total.groups.map((group) => [group.value, group]));
      for (const group of payer.groups ?? []) {
        const earlier = groups.get(group.value);
        groups.set(group.value, earlier ? added(earlier, group, digits) : { ...group });
      }
      sum.groups = [...groups.values()];
    }
    return sum;
  }, none);
}

/** How many payers a merchant-wide report adds up at most: past it, ask per payer. */
export const ALL_PAYERS_MAX = 1000;
