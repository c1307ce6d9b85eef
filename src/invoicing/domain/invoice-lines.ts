import { BucketBuilder, pointContribution, type UsageEvent } from '../../usage/domain/bucket.js';
import { quantityOf } from '../../usage/domain/quantity.js';
import type { Aggregation, TimeUnit } from '../../metering/domain/aggregation.js';
import { perUnit, rate } from '../../metering/domain/rating.js';

/** What pricing needs of a metric. */
export interface PricedMetric {
  id: string;
  name: string;
  aggregation: Aggregation;
  timeUnit: TimeUnit | null;
  unitAmount: string;
}

export type UsageLineKind = 'usage' | 'late_usage';

export interface UsageLine {
  kind: UsageLineKind;
  metricId: string;
  description: string;
  quantity: string;
  unitAmount: string;
  amount: string;
}

/**
 * The quantity of a set of events billed together. Each event is billed once, whole, on the
 * invoice that takes it: a time_duration event counts its full interval there (an invoice
 * takes an event by its timestamp, so its duration cannot be split across invoices).
 */
export function billedQuantity(metric: PricedMetric, events: readonly UsageEvent[]): string {
  const state = new BucketBuilder();
  for (const event of events) {
    state.add(pointContribution(event));
    if (event.startTime !== null && event.endTime !== null && event.endTime > event.startTime) {
      state.add({
        count: 0,
        sum: '0',
        markupSum: '0',
        distinct: [],
        durationMs: String(event.endTime.getTime() - event.startTime.getTime()),
      });
    }
  }
  return quantityOf(metric.aggregation, state.build(), metric.timeUnit);
}

/**
 * One line per metric with events, in the metric order given: quantity × unit amount, rounded
 * once to the currency's minor unit. Late lines bill usage that arrived after its window was
 * invoiced, so it is never lost.
 */
export function usageLines(
  metrics: readonly PricedMetric[],
  eventsByMetric: ReadonlyMap<string, readonly UsageEvent[]>,
  currency: string,
  kind: UsageLineKind,
): UsageLine[] {
  const lines: UsageLine[] = [];
  for (const metric of metrics) {
    const events = eventsByMetric.get(metric.id);
    if (!events || events.length === 0) continue;
    const quantity = billedQuantity(metric, events);
    lines.push({
      kind,
      metricId: metric.id,
      description: kind === 'usage' ? metric.name : `${metric.name} (usage from earlier periods)`,
      quantity,
      unitAmount: metric.unitAmount,
      amount: rate(quantity, perUnit(metric.unitAmount), currency),
    });
  }
  return lines;
}
