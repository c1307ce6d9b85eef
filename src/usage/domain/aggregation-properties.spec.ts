import fc from 'fast-check';
import { decimalText, ExactDecimal } from '../../common/money/decimal.js';
import { AGGREGATIONS, TIME_UNITS } from '../../metering/domain/aggregation.js';
import {
  emptyBucket,
  foldEvents,
  HOUR_MS,
  mergeBucketMaps,
  mergeBuckets,
  type BucketState,
  type HourlyBuckets,
  type UsageEvent,
} from './bucket.js';
import { quantityOf, windowState, windowStateFromEvents } from './quantity.js';

const NUM_RUNS = 150;
const BASE = Date.parse('2026-03-01T00:00:00Z');
const SPAN_HOURS = 48;

/** Decimal text with up to `maxScale` fraction digits, trailing zeros kept ("1.50"). */
const decimalText$ = (maxUnits: bigint, maxScale: number) =>
  fc
    .tuple(fc.bigInt({ min: -maxUnits, max: maxUnits }), fc.integer({ min: 0, max: maxScale }))
    .map(([units, scale]) => {
      const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
      const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
      return units < 0n ? `-${text}` : text;
    });

const instant$ = fc.integer({ min: 0, max: SPAN_HOURS * HOUR_MS - 1 }).map((ms) => new Date(BASE + ms));

const interval$ = fc.oneof(
  fc
    .tuple(instant$, fc.integer({ min: 0, max: 6 * HOUR_MS }))
    .map(([start, ms]) => ({ startTime: start, endTime: new Date(start.getTime() + ms) })),
  instant$.map((start) => ({ startTime: start, endTime: null })),
  fc.constant({ startTime: null, endTime: null }),
);

const usageEvent$: fc.Arbitrary<UsageEvent> = fc
  .record({
    timestamp: instant$,
    value: fc.option(decimalText$(10n ** 24n, 18), { nil: null }),
    uniqueValue: fc.option(fc.constantFrom('u1', 'u2', 'u3', 'U1', 'é', '10', '9'), { nil: null }),
    interval: interval$,
    markupPercentage: fc.option(
      decimalText$(10n ** 7n, 4).map((text) => text.replace('-', '')),
      { nil: null },
    ),
  })
  .map(({ interval, ...event }) => ({ ...event, ...interval }));

const bucket$: fc.Arbitrary<BucketState> = fc.record({
  count: fc.nat(),
  sum: decimalText$(10n ** 40n, 18).map((text) => decimalText(new ExactDecimal(text))),
  markupSum: decimalText$(10n ** 40n, 30).map((text) => decimalText(new ExactDecimal(text))),
  durationMs: fc.bigInt({ min: 0n, max: 10n ** 15n }).map(String),
  distinct: fc
    .uniqueArray(fc.string({ unit: 'binary', maxLength: 4 }), { maxLength: 6 })
    .chain((values) =>
      fc
        .array(fc.integer({ min: 1, max: 5 }), { minLength: values.length, maxLength: values.length })
        .map((counts) => Object.fromEntries(values.sort().map((value, i) => [value, counts[i] as number]))),
    ),
});

const sortedEntries = (buckets: HourlyBuckets) => [...buckets].sort(([a], [b]) => a - b);

describe('aggregation properties', () => {
  it('(a) folding parts and merging equals folding everything at once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(usageEvent$, fc.integer({ min: 0, max: 3 })), { maxLength: 30 }),
        (tagged) => {
          const parts = [0, 1, 2, 3].map((part) =>
            tagged.filter(([, p]) => p === part).map(([event]) => event),
          );
          const whole = foldEvents(tagged.map(([event]) => event));
          expect(sortedEntries(mergeBucketMaps(...parts.map((events) => foldEvents(events))))).toEqual(
            sortedEntries(whole),
          );
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('(b) the result never depends on event order', () => {
    const events$ = fc.array(usageEvent$, { maxLength: 30 });
    fc.assert(
      fc.property(
        events$.chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        ([events, shuffled]) => {
          expect(sortedEntries(foldEvents(shuffled))).toEqual(sortedEntries(foldEvents(events)));
          const start = new Date(BASE);
          const end = new Date(BASE + SPAN_HOURS * HOUR_MS);
          expect(windowStateFromEvents(shuffled, start, end)).toEqual(
            windowStateFromEvents(events, start, end),
          );
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('(c) mergeBuckets is associative and commutative with emptyBucket as identity', () => {
    fc.assert(
      fc.property(bucket$, bucket$, bucket$, (a, b, c) => {
        expect(mergeBuckets(mergeBuckets(a, b), c)).toEqual(mergeBuckets(a, mergeBuckets(b, c)));
        expect(mergeBuckets(a, b)).toEqual(mergeBuckets(b, a));
        expect(mergeBuckets(a, emptyBucket())).toEqual(a);
        expect(mergeBuckets(emptyBucket(), a)).toEqual(a);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(d) hourly buckets answer hour-aligned windows exactly as raw events do', () => {
    const window$ = fc
      .tuple(fc.integer({ min: -2, max: SPAN_HOURS + 2 }), fc.integer({ min: 0, max: 30 }))
      .map(([startHour, hours]) => ({
        start: new Date(BASE + startHour * HOUR_MS),
        end: new Date(BASE + (startHour + hours) * HOUR_MS),
      }));
    fc.assert(
      fc.property(fc.array(usageEvent$, { maxLength: 30 }), window$, (events, { start, end }) => {
        const fromBuckets = windowState(foldEvents(events), start, end);
        const fromEvents = windowStateFromEvents(events, start, end);
        expect(fromBuckets).toEqual(fromEvents);
        for (const aggregation of AGGREGATIONS) {
          for (const timeUnit of [null, ...TIME_UNITS]) {
            expect(quantityOf(aggregation, fromBuckets, timeUnit)).toBe(
              quantityOf(aggregation, fromEvents, timeUnit),
            );
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
