import { decimalText, ExactDecimal } from '../../common/money/decimal.js';
import type { Aggregation, TimeUnit } from '../../metering/domain/aggregation.js';
import {
  BucketBuilder,
  distinctValues,
  emptyBucket,
  HOUR_MS,
  overlapMs,
  pointContribution,
  type BucketState,
  type HourlyBuckets,
  type UsageEvent,
} from './bucket.js';

export const QUOTIENT_FRACTION_DIGITS = 18;

const MS_PER_UNIT: Record<TimeUnit, number> = { second: 1_000, minute: 60_000, hour: 3_600_000 };

// Truncating first keeps every digit the half-up step looks at on the same side of the half as
// the exact quotient, so the two steps round exactly once (rounding twice could carry a 4999… up).
const TruncatingDecimal = ExactDecimal.clone({ rounding: ExactDecimal.ROUND_DOWN });

/** dividend / divisor rounded half-up to 18 fraction digits, trailing zeros stripped. */
function quotient(dividend: string, divisor: number): string {
  const truncated = new TruncatingDecimal(dividend).div(divisor);
  return decimalText(truncated.toDecimalPlaces(QUOTIENT_FRACTION_DIGITS, ExactDecimal.ROUND_HALF_UP));
}

/** The quantity a metric reports for a window's state (DESIGN.md §4). A null time unit means seconds. */
export function quantityOf(aggregation: Aggregation, state: BucketState, timeUnit: TimeUnit | null): string {
  switch (aggregation) {
    case 'sum':
      return state.sum;
    case 'count':
      return String(state.count);
    case 'count_unique':
      return String(distinctValues(state).length);
    case 'average':
      return state.count === 0 ? '0' : quotient(state.sum, state.count);
    case 'time_duration':
      return quotient(state.durationMs, MS_PER_UNIT[timeUnit ?? 'second']);
    case 'markup_percentage':
      return state.markupSum;
  }
}

export function isHourAligned(date: Date): boolean {
  return date.getTime() % HOUR_MS === 0;
}

/**
 * Merges the buckets whose hour starts in [start, end). Exact only for hour-aligned edges (see
 * `isHourAligned`): a bucket is all or nothing, so an end inside an hour would take that whole
 * hour and a start inside one would drop it. For such a window, ask this for the aligned inner
 * part and compute the partial hours at the edges with `windowStateFromEvents`, then merge.
 */
export function windowState(buckets: HourlyBuckets, start: Date, end: Date): BucketState {
  const window = new BucketBuilder();
  for (const [hour, bucket] of buckets) {
    if (hour >= start.getTime() && hour < end.getTime()) window.add(bucket);
  }
  return window.build();
}

/**
 * The exact state of any window [start, end), straight from raw events: an event counts in the
 * window of its timestamp, while its duration contributes the part of [startTime, endTime)
 * inside the window, wherever its timestamp lies. The reference that bucketed answers must match.
 */
export function windowStateFromEvents(events: Iterable<UsageEvent>, start: Date, end: Date): BucketState {
  const from = start.getTime();
  const to = end.getTime();
  const window = new BucketBuilder();
  for (const event of events) {
    const time = event.timestamp.getTime();
    if (time >= from && time < to) window.add(pointContribution(event));
    if (event.startTime !== null && event.endTime !== null) {
      const ms = overlapMs(event.startTime, event.endTime, from, to);
      window.add({ ...emptyBucket(), durationMs: String(ms) });
    }
  }
  return window.build();
}
