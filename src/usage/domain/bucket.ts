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
  /**
   * For count_unique: each distinct value with the number of events carrying it, so a value
   * leaves only when its last event is taken out. Values whose count is 0 are left out.
   */
  distinct: DistinctCounts;
}

/** Distinct value → how many events (net of reversals) carry it. */
export type DistinctCounts = Record<string, number>;

/** The fields of a metric event that aggregation reads. Decimals are decimal text. */
export interface UsageEvent {
  timestamp: Date;
  value: string | null;
  uniqueValue: string | null;
  startTime: Date | null;
  endTime: Date | null;
  markupPercentage: string | null;
  /** -1: a reversal, taking a corrected version's contribution out; 1 (the default): the event's own. */
  sign?: 1 | -1;
}

/** Hour buckets keyed by the hour's start, in epoch milliseconds. */
export type HourlyBuckets = Map<number, BucketState>;

export function emptyBucket(): BucketState {
  return { count: 0, sum: '0', markupSum: '0', durationMs: '0', distinct: {} };
}

/** Nothing counted: no event, or events and their reversals that cancel out. */
export function isEmptyBucket(state: BucketState): boolean {
  return (
    state.count === 0 &&
    state.sum === '0' &&
    state.markupSum === '0' &&
    state.durationMs === '0' &&
    Object.keys(state.distinct).length === 0
  );
}

/** The values a state counts for count_unique: those some event still carries. */
export function distinctValues(state: BucketState): string[] {
  return Object.keys(state.distinct)
    .filter((value) => (state.distinct[value] ?? 0) > 0)
    .sort();
}

function add(a: string, b: string): string {
  return decimalText(new ExactDecimal(a).plus(b));
}

function addCounts(into: Map<string, number>, counts: DistinctCounts, sign = 1): void {
  for (const [value, n] of Object.entries(counts)) into.set(value, (into.get(value) ?? 0) + sign * n);
}

function countsOf(counts: Map<string, number>): DistinctCounts {
  const out: DistinctCounts = {};
  for (const value of [...counts.keys()].sort()) {
    const n = counts.get(value) as number;
    if (n !== 0) out[value] = n;
  }
  return out;
}

/**
 * A state that takes `state` off whatever it is merged with: for subtracting the part of an
 * hour's bucket outside a window, or a reversed event.
 */
export function negatedBucket(state: BucketState): BucketState {
  const negate = (text: string) => decimalText(new ExactDecimal(text).neg());
  const distinct = new Map<string, number>();
  addCounts(distinct, state.distinct, -1);
  return {
    count: 0 - state.count,
    sum: negate(state.sum),
    markupSum: negate(state.markupSum),
    durationMs: negate(state.durationMs),
    distinct: countsOf(distinct),
  };
}

export function mergeBuckets(a: BucketState, b: BucketState): BucketState {
  return {
    count: a.count + b.count,
    sum: add(a.sum, b.sum),
    markupSum: add(a.markupSum, b.markupSum),
    durationMs: add(a.durationMs, b.durationMs),
    distinct: new BucketBuilder().add(a).add(b).build().distinct,
  };
}

/** Totals being gathered for one bucket; cheaper than merging states one event at a time. */
export class BucketBuilder {
  private count = 0;
  private sum = new ExactDecimal(0);
  private markupSum = new ExactDecimal(0);
  private durationMs = new ExactDecimal(0);
  private readonly distinct = new Map<string, number>();

  add(state: BucketState): this {
    this.count += state.count;
    this.sum = this.sum.plus(state.sum);
    this.markupSum = this.markupSum.plus(state.markupSum);
    this.durationMs = this.durationMs.plus(state.durationMs);
    addCounts(this.distinct, state.distinct);
    return this;
  }

  build(): BucketState {
    return {
      count: this.count,
      sum: decimalText(this.sum),
      markupSum: decimalText(this.markupSum),
      durationMs: decimalText(this.durationMs),
      distinct: countsOf(this.distinct),
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

/** An event's count, sum, markup and distinct contribution, ignoring its duration (negative for a reversal). */
export function pointContribution(event: UsageEvent): BucketState {
  const sign = event.sign ?? 1;
  const markup =
    event.value === null || event.markupPercentage === null
      ? '0'
      : decimalText(new ExactDecimal(event.value).times(event.markupPercentage).div(100).times(sign));
  return {
    count: sign,
    sum: event.value === null ? '0' : decimalText(new ExactDecimal(event.value).times(sign)),
    markupSum: markup,
    durationMs: '0',
    distinct: event.uniqueValue === null ? {} : { [event.uniqueValue]: sign },
  };
}

/** Milliseconds of an event's own interval (negative for a reversal); 0 without one. */
export function signedMs(event: UsageEvent, ms: number): string {
  return String((event.sign ?? 1) * ms);
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
      builderFor(builders, hour).add({ ...emptyBucket(), durationMs: signedMs(event, ms) });
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
