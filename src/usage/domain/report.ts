import {
  BucketBuilder,
  foldEvents,
  HOUR_MS,
  mergeBucketMaps,
  mergeBuckets,
  type BucketState,
  type HourlyBuckets,
  type UsageEvent,
} from './bucket.js';
import { ExactDecimal } from '../../common/money/decimal.js';

export type WindowSize = 'hour' | 'day';

const DAY_MS = 24 * HOUR_MS;

/**
 * Per metric, the hourly usage inside [start, end) (hour-aligned): stored buckets plus the
 * not-yet-folded tail folded the same way, so a report is exact before and after the rollup.
 */
export function hourlyUsageByMetric(
  buckets: { metricId: string; hour: Date; state: BucketState }[],
  tail: (UsageEvent & { metricId: string })[],
  start: Date,
  end: Date,
): Map<string, HourlyBuckets> {
  const stored = new Map<string, HourlyBuckets>();
  for (const bucket of buckets) {
    const hours = stored.get(bucket.metricId) ?? new Map<number, BucketState>();
    // Several for one hour (its stored bucket, less its part outside the window) add up.
    const earlier = hours.get(bucket.hour.getTime());
    hours.set(bucket.hour.getTime(), earlier ? mergeBuckets(earlier, bucket.state) : bucket.state);
    stored.set(bucket.metricId, hours);
  }
  const pending = new Map<string, UsageEvent[]>();
  for (const event of tail) {
    const events = pending.get(event.metricId) ?? [];
    events.push(event);
    pending.set(event.metricId, events);
  }
  const usage = new Map<string, HourlyBuckets>();
  for (const metricId of new Set([...stored.keys(), ...pending.keys()])) {
    const folded = [...foldEvents(pending.get(metricId) ?? [])].filter(
      ([hour]) => hour >= start.getTime() && hour < end.getTime(),
    );
    usage.set(metricId, mergeBucketMaps(stored.get(metricId) ?? new Map(), new Map(folded)));
  }
  return usage;
}

/**
 * Per metric, the whole window's usage in one pass (no per-hour maps): what the customer and
 * itemized reports need, and their cost is one addition per stored bucket.
 */
export function windowTotalsByMetric(
  buckets: { metricId: string; hour: Date; state: BucketState }[],
  tail: (UsageEvent & { metricId: string })[],
  start: Date,
  end: Date,
): Map<string, BucketState> {
  const builders = new Map<string, BucketBuilder>();
  const builder = (metricId: string) => {
    let found = builders.get(metricId);
    if (!found) builders.set(metricId, (found = new BucketBuilder()));
    return found;
  };
  for (const bucket of buckets) builder(bucket.metricId).add(bucket.state);
  for (const event of tail) {
    for (const [hour, state] of foldEvents([event])) {
      if (hour >= start.getTime() && hour < end.getTime()) builder(event.metricId).add(state);
    }
  }
  return new Map([...builders].map(([metricId, b]) => [metricId, b.build()]));
}

export function totalOf(hours: HourlyBuckets | undefined): BucketState {
  const total = new BucketBuilder();
  for (const state of hours?.values() ?? []) total.add(state);
  return total.build();
}

/** The usage of each period of `size` in [start, end), every period listed (empty ones too), oldest first. */
/**
 * What each period of a series adds to the window's amount: the price of the usage from the
 * window's start to the period's end, less the price up to the period's start. Tiers make a
 * period's share depend on the usage before it, so a period is never priced alone; the shares add
 * up to the price of the whole window exactly (the first is measured from nothing).
 */
export function periodShares(
  states: BucketState[],
  priceOf: (usageSoFar: BucketState) => string,
  digits: number,
): string[] {
  const soFar = new BucketBuilder();
  let before = new ExactDecimal(0);
  return states.map((state) => {
    const upToEnd = new ExactDecimal(priceOf(soFar.add(state).build()));
    const share = upToEnd.minus(before);
    before = upToEnd;
    return share.toFixed(digits);
  });
}

export function seriesOf(
  hours: HourlyBuckets | undefined,
  start: Date,
  end: Date,
  size: WindowSize,
): { start: Date; end: Date; state: BucketState }[] {
  const step = size === 'hour' ? HOUR_MS : DAY_MS;
  const first = Math.floor(start.getTime() / step) * step;
  const periods = new Map<number, BucketBuilder>();
  for (let at = first; at < end.getTime(); at += step) periods.set(at, new BucketBuilder());
  for (const [hour, state] of hours ?? []) periods.get(Math.floor(hour / step) * step)?.add(state);
  return [...periods].map(([at, builder]) => ({
    start: new Date(Math.max(at, start.getTime())),
    end: new Date(Math.min(at + step, end.getTime())),
    state: builder.build(),
  }));
}
