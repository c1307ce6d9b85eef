import { decimalText, ExactDecimal } from '../../common/money/decimal.js';
import { perUnit, rate } from '../../metering/domain/rating.js';

/** One item of a subscription in one period: its allotment and what the period used so far. */
export interface ItemUsage {
  metricId: string;
  name: string;
  includedQuantity: string;
  /** The overage price per unit (the item's `unit_amount`, else the metric's). */
  unitAmount: string;
  used: string;
  /** Overage quantity of this period already invoiced (by an earlier "bill now"). */
  alreadyBilled: string;
}

export interface OverageLine {
  metricId: string;
  description: string;
  quantity: string;
  unitAmount: string;
  amount: string;
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
 * The overage still to invoice for each item: usage above the allotment, less what was billed
 * earlier in the period, priced at the overage price and rounded once. Items with nothing to
 * bill give no line.
 */
export function overageLines(items: readonly ItemUsage[], currency: string): OverageLine[] {
  const lines: OverageLine[] = [];
  for (const item of items) {
    const due = new ExactDecimal(overageQuantity(item.used, item.includedQuantity)).minus(item.alreadyBilled);
    if (!due.isPositive() || due.isZero()) continue;
    const quantity = decimalText(due);
    lines.push({
      metricId: item.metricId,
      description: `${item.name} overage (above ${decimalText(new ExactDecimal(item.includedQuantity))} included)`,
      quantity,
      unitAmount: item.unitAmount,
      amount: rate(quantity, perUnit(item.unitAmount), currency),
    });
  }
  return lines;
}
