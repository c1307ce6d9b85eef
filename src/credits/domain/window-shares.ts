import { ExactDecimal } from '../../common/money/decimal.js';
import { billedState, type PricedMetric } from '../../invoicing/domain/invoice-lines.js';
import { rate } from '../../metering/domain/rating.js';
import type { UsageEvent } from '../../usage/domain/bucket.js';
import { quantityOf } from '../../usage/domain/quantity.js';
import { creditWindowStart } from './credit-window.js';

/** A priced usage line of an invoice, as its credit windows see it. */
export interface WindowedLine {
  metric: PricedMetric;
  periodStart: Date;
  periodEnd: Date;
  events: readonly UsageEvent[];
  amount: string;
}

/**
 * Each credit window's share of an invoice's usage lines (keyed by the window's start, epoch ms),
 * summing exactly to the lines' amounts. A line priced over one credit window (every line of a
 * prepaid payer) is that window's whole; a line whose period spans windows (a payer billed over
 * its invoice windows) is split in time order by what its usage up to each window costs, the
 * last window taking the rest.
 */
export function windowShares(lines: readonly WindowedLine[], currency: string): Map<number, ExactDecimal> {
  const shares = new Map<number, ExactDecimal>();
  const add = (window: number, amount: ExactDecimal) =>
    shares.set(window, (shares.get(window) ?? new ExactDecimal(0)).plus(amount));
  for (const line of lines) {
    const first = creditWindowStart(line.periodStart).getTime();
    const last = creditWindowStart(new Date(line.periodEnd.getTime() - 1)).getTime();
    if (first === last) {
      add(first, new ExactDecimal(line.amount));
      continue;
    }
    const windows = [
      ...new Set(line.events.map((event) => creditWindowStart(event.timestamp).getTime())),
    ].sort((a, b) => a - b);
    let assigned = new ExactDecimal(0);
    windows.forEach((window, index) => {
      if (index === windows.length - 1) {
        add(window, new ExactDecimal(line.amount).minus(assigned));
        return;
      }
      const upTo = line.events.filter((event) => creditWindowStart(event.timestamp).getTime() <= window);
      const cumulative = rate(
        quantityOf(line.metric.aggregation, billedState(upTo), line.metric.timeUnit),
        line.metric.price,
        currency,
      );
      add(window, new ExactDecimal(cumulative).minus(assigned));
      assigned = new ExactDecimal(cumulative);
    });
  }
  return shares;
}
