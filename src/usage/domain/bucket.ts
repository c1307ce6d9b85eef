import { decimalText, ExactDecimal } from '../../common/money/decimal.js';

export const HOUR_MS = 3_600_000;

/**
 * What every aggregation needs from one UTC hour of events. Decimals are canonical text so a
 * bucket can be stored as JSON or NUMERIC without losing a digit.
 */
export interface BucketState {
  count: number;
  sum: string;
  markupSum: string;
  durationMs: string;
  /** Sorted (by UTF-16 code units) and unique. */
  distinct: string[];
}

/** The fields of a metric event that aggregation reads. Decimals are decimal text. */
export interface UsageEvent {
  timestamp: Date;
  value: string | null;
  uniqueValue: string | null;
  startTime: Date | null;
  endTime: Date | null;
  markupPercentage: string | null;
}

/** Hour buckets keyed by the hour's start, in epoch milliseconds. */
export type HourlyBuckets = Map<number, BucketState>;

export function emptyBucket(): BucketState {
  return { count: 0, sum: '0', markupSum: '0', durationMs: '0', distinct: [] };
}

function add(a: string, b: string): string {
  return decimalText(new ExactDecimal(a).plus(b));
}

function sortedUnion(a: readonly string[], b: readonly string[]): string[] {
  const union: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j === b.length || (i < a.length && a[i] < b[j])) union.push(a[i++]);
    else if (i === a.length || b[j] < a[i]) union.push(b[j++]);
    else {
      union.push(a[i++]);
      j++;
    }
  }
  return union;
}

/**
 * A state that takes `state` off whatever it is merged with: for subtracting the part of an
 * hour's bucket outside a window. A distinct set cannot be subtracted, so it must be empty.
 */
export function negatedBucket(state: BucketState): BucketState {
  if (state.distinct.length > 0) throw new Error('a distinct set cannot be subtracted');
  const negate = (text: string) => decimalText(new ExactDecimal(text).neg());
  return {
    count: -state.count,
    sum: negate(state.sum),
    markupSum: negate(state.markupSum),
    durationMs: negate(state.durationMs),
    distinct: [],
  };
}

export function mergeBuckets(a: BucketState, b: BucketState): BucketState {
  return {
    count: a.count + b.count,
    sum: add(a.sum, b.sum),
    markupSum: add(a.markupSum, b.markupSum),
    durationMs: add(a.durationMs, b.durationMs),
    distinct: sortedUnion(a.distinct, b.distinct),
  };
}

/** Totals being gathered for one bucket; cheaper than merging states one event at a time. */
export class BucketBuilder {
  private count = 0;
  private sum = new ExactDecimal(0);
  private markupSum = new ExactDecimal(0);
  private durationMs = new ExactDecimal(0);
  private readonly distinct = new Set<string>();

  add(state: BucketState): this {
    this.count += state.count;
    this.sum = this.sum.plus(state.sum);
    this.markupSum = this.markupSum.plus(state.markupSum);
    this.durationMs = this.durationMs.plus(state.durationMs);
    for (const value of state.distinct) this.distinct.add(value);
    return this;
  }

  build(): BucketState {
    return {
      count: this.count,
      sum: decimalText(this.sum),
      markupSum: decimalText(this.markupSum),
      durationMs: decimalText(this.durationMs),
      distinct: [...this.distinct].sort(),
    };
  }
}

function buildAll(builders: Map<number, BucketBuilder>): HourlyBuckets {
  return new Map([...builders].map(([hour, builder]) => [hour, builder.build()]));
}

function builderFor(builders: Map<number, BucketBuilder>, hour: number): BucketBuilder {
  let builder = builders.get(hour);
  if (!builder) builders.set(hour, (builder = new BucketBuilder()));
  return builder;
}

export function mergeBucketMaps(...maps: HourlyBuckets[]): HourlyBuckets {
  const builders = new Map<number, BucketBuilder>();
  for (const map of maps) for (const [hour, state] of map) builderFor(builders, hour).add(state);
  return buildAll(builders);
}

/** The start of the UTC hour containing `date`. */
export function hourStart(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);
}

/** An event's count, sum, markup and distinct contribution, ignoring its duration. */
export function pointContribution(event: UsageEvent): BucketState {
  const markup =
    event.value === null || event.markupPercentage === null
      ? '0'
      : decimalText(new ExactDecimal(event.value).times(event.markupPercentage).div(100));
  return {
    count: 1,
    sum: event.value === null ? '0' : decimalText(new ExactDecimal(event.value)),
    markupSum: markup,
    durationMs: '0',
    distinct: event.uniqueValue === null ? [] : [event.uniqueValue],
  };
}

/** Milliseconds of [start, end) inside [from, to); 0 when they do not overlap. */
export function overlapMs(start: Date, end: Date, from: number, to: number): number {
  return Math.max(0, Math.min(end.getTime(), to) - Math.max(start.getTime(), from));
}

/** The parts of [start, end) in each UTC hour it covers, keyed by hour start. */
function durationByHour(start: Date, end: Date): Map<number, number> {
  const parts = new Map<number, number>();
  for (let hour = hourStart(start).getTime(); hour < end.getTime(); hour += HOUR_MS) {
    parts.set(hour, overlapMs(start, end, hour, hour + HOUR_MS));
  }
  return parts;
}

/**
 * One event's contributions to hourly buckets: everything but duration in the hour of its
 * timestamp; its duration split across the hours [startTime, endTime) covers, which may add
 * buckets with count 0 and only durationMs.
 */
export function foldEvent(event: UsageEvent): HourlyBuckets {
  const builders = new Map<number, BucketBuilder>();
  builderFor(builders, hourStart(event.timestamp).getTime()).add(pointContribution(event));
  if (event.startTime !== null && event.endTime !== null) {
    for (const [hour, ms] of durationByHour(event.startTime, event.endTime)) {
      builderFor(builders, hour).add({ ...emptyBucket(), durationMs: String(ms) });
    }
  }
  return buildAll(builders);
}

export function foldEvents(events: Iterable<UsageEvent>): HourlyBuckets {
  const builders = new Map<number, BucketBuilder>();
  for (const event of events) {
    for (const [hour, state] of foldEvent(event)) builderFor(builders, hour).add(state);
  }
  return buildAll(builders);
}
