import fc from 'fast-check';
import { minorUnitDigits } from '../../common/money/currency.js';
import { ExactDecimal } from '../../common/money/decimal.js';
import { perUnit, rate } from '../../metering/domain/rating.js';
import type { Aggregation, TimeUnit } from '../../metering/domain/aggregation.js';
import type { UsageEvent } from '../../usage/domain/bucket.js';
import { billedQuantity, usageLines, type PricedMetric } from './invoice-lines.js';

const at = (iso: string): Date => new Date(iso);

function usageEvent(overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    timestamp: at('2026-03-01T10:15:00Z'),
    value: null,
    uniqueValue: null,
    startTime: null,
    endTime: null,
    markupPercentage: null,
    ...overrides,
  };
}

/** An event lasting [start, end), stamped at `timestamp` (by default its start). */
const lasting = (start: string, end: string, timestamp = start): UsageEvent =>
  usageEvent({ timestamp: at(timestamp), startTime: at(start), endTime: at(end) });

function metric(overrides: Partial<PricedMetric> = {}): PricedMetric {
  return {
    id: 'bm_1',
    name: 'API calls',
    aggregation: 'sum',
    timeUnit: null,
    unitAmount: '1',
    ...overrides,
  };
}

const withValues = (...values: string[]): UsageEvent[] => values.map((value) => usageEvent({ value }));

interface Case {
  name: string;
  aggregation: Aggregation;
  timeUnit?: TimeUnit | null;
  unitAmount: string;
  currency?: string;
  events: UsageEvent[];
  quantity: string;
  amount: string;
}

const CASES: Case[] = [
  {
    name: '42,318 events of value 1 at 0.001',
    aggregation: 'sum',
    unitAmount: '0.001',
    events: withValues(...Array.from({ length: 42_318 }, () => '1')),
    quantity: '42318',
    amount: '42.32',
  },
  {
    name: '11 units at 10',
    aggregation: 'sum',
    unitAmount: '10',
    events: withValues('11'),
    quantity: '11',
    amount: '110.00',
  },
  {
    name: 'half a cent rounds up',
    aggregation: 'sum',
    unitAmount: '1',
    events: withValues('0.005'),
    quantity: '0.005',
    amount: '0.01',
  },
  {
    name: 'half a cent from a fractional unit amount rounds up',
    aggregation: 'sum',
    unitAmount: '0.001',
    events: withValues('5'),
    quantity: '5',
    amount: '0.01',
  },
  {
    name: 'just under half a cent rounds down',
    aggregation: 'sum',
    unitAmount: '0.001',
    events: withValues('4.999'),
    quantity: '4.999',
    amount: '0.00',
  },
  {
    name: 'sum of 0.1 + 0.2 is exactly 0.3',
    aggregation: 'sum',
    unitAmount: '1',
    events: withValues('0.1', '0.2'),
    quantity: '0.3',
    amount: '0.30',
  },
  {
    name: 'jpy has no minor digits',
    aggregation: 'sum',
    unitAmount: '0.001',
    currency: 'jpy',
    events: withValues('42318'),
    quantity: '42318',
    amount: '42',
  },
  {
    name: 'jpy rounds half a yen up',
    aggregation: 'sum',
    unitAmount: '0.5',
    currency: 'jpy',
    events: withValues('5'),
    quantity: '5',
    amount: '3',
  },
  {
    name: 'kwd has three minor digits',
    aggregation: 'sum',
    unitAmount: '0.0001',
    currency: 'kwd',
    events: withValues('12345'),
    quantity: '12345',
    amount: '1.235',
  },
  {
    name: 'count ignores value',
    aggregation: 'count',
    unitAmount: '0.5',
    events: [...withValues('100', '7'), usageEvent()],
    quantity: '3',
    amount: '1.50',
  },
  {
    name: 'count_unique counts distinct uniqueValue',
    aggregation: 'count_unique',
    unitAmount: '2',
    events: ['u1', 'u2', 'u1', 'U1'].map((uniqueValue) => usageEvent({ uniqueValue })),
    quantity: '3',
    amount: '6.00',
  },
  {
    name: 'count_unique skips events without a uniqueValue',
    aggregation: 'count_unique',
    unitAmount: '1',
    events: [usageEvent({ uniqueValue: 'u1' }), usageEvent()],
    quantity: '1',
    amount: '1.00',
  },
  {
    name: 'average of 10 and 20',
    aggregation: 'average',
    unitAmount: '3',
    events: withValues('10', '20'),
    quantity: '15',
    amount: '45.00',
  },
  {
    name: 'average of 1, 0 and 1 at 18 digits',
    aggregation: 'average',
    unitAmount: '3',
    events: withValues('1', '0', '1'),
    quantity: '0.666666666666666667',
    amount: '2.00',
  },
  {
    name: 'time_duration of 60 s and 120 s in minutes',
    aggregation: 'time_duration',
    timeUnit: 'minute',
    unitAmount: '0.1',
    events: [
      lasting('2026-03-01T10:00:00Z', '2026-03-01T10:01:00Z'),
      lasting('2026-03-01T10:05:00Z', '2026-03-01T10:07:00Z'),
    ],
    quantity: '3',
    amount: '0.30',
  },
  {
    name: 'time_duration of 90 minutes in hours',
    aggregation: 'time_duration',
    timeUnit: 'hour',
    unitAmount: '2',
    events: [lasting('2026-03-01T10:00:00Z', '2026-03-01T11:30:00Z')],
    quantity: '1.5',
    amount: '3.00',
  },
  {
    name: 'time_duration with a null time unit is in seconds',
    aggregation: 'time_duration',
    timeUnit: null,
    unitAmount: '0.01',
    events: [lasting('2026-03-01T10:00:00Z', '2026-03-01T10:00:02.5Z')],
    quantity: '2.5',
    amount: '0.03',
  },
  {
    name: 'time_duration of 1 s in hours rounds at 18 digits',
    aggregation: 'time_duration',
    timeUnit: 'hour',
    unitAmount: '3600',
    events: [lasting('2026-03-01T10:00:00Z', '2026-03-01T10:00:01Z')],
    quantity: '0.000277777777777778',
    amount: '1.00',
  },
  {
    name: 'time_duration bills the full interval across hours and days',
    aggregation: 'time_duration',
    timeUnit: 'minute',
    unitAmount: '1',
    events: [lasting('2026-03-01T23:30:00Z', '2026-03-02T01:45:00Z')],
    quantity: '135',
    amount: '135.00',
  },
  {
    name: 'time_duration bills the full interval wherever the timestamp lies',
    aggregation: 'time_duration',
    timeUnit: 'hour',
    unitAmount: '1',
    events: [lasting('2026-02-27T00:00:00Z', '2026-02-28T00:00:00Z', '2026-03-15T12:00:00Z')],
    quantity: '24',
    amount: '24.00',
  },
  {
    name: 'time_duration ignores events without both times, or with an end not after the start',
    aggregation: 'time_duration',
    timeUnit: 'second',
    unitAmount: '1',
    events: [
      usageEvent({ startTime: at('2026-03-01T10:00:00Z') }),
      usageEvent({ endTime: at('2026-03-01T10:00:00Z') }),
      lasting('2026-03-01T10:00:00Z', '2026-03-01T10:00:00Z'),
      lasting('2026-03-01T10:00:10Z', '2026-03-01T10:00:00Z'),
    ],
    quantity: '0',
    amount: '0.00',
  },
  {
    name: 'markup_percentage of 1000 at 2.5 % plus 200 at 10 %',
    aggregation: 'markup_percentage',
    unitAmount: '1',
    events: [
      usageEvent({ value: '1000', markupPercentage: '2.5' }),
      usageEvent({ value: '200', markupPercentage: '10' }),
    ],
    quantity: '45',
    amount: '45.00',
  },
  {
    name: 'markup_percentage of 0.333 at 1.5 %',
    aggregation: 'markup_percentage',
    unitAmount: '100',
    events: [usageEvent({ value: '0.333', markupPercentage: '1.5' })],
    quantity: '0.004995',
    amount: '0.50',
  },
  {
    name: 'markup_percentage without a percentage or a value',
    aggregation: 'markup_percentage',
    unitAmount: '1',
    events: [usageEvent({ value: '1000' }), usageEvent({ markupPercentage: '10' })],
    quantity: '0',
    amount: '0.00',
  },
];

describe('usage line pricing', () => {
  it.each(CASES)(
    '$name → $quantity, $amount',
    ({ aggregation, timeUnit, unitAmount, currency, events, quantity, amount }) => {
      const priced = metric({ aggregation, timeUnit: timeUnit ?? null, unitAmount });
      expect(billedQuantity(priced, events)).toBe(quantity);
      const lines = usageLines([priced], new Map([[priced.id, events]]), currency ?? 'usd', 'usage');
      expect(lines).toEqual([
        { kind: 'usage', metricId: 'bm_1', description: 'API calls', quantity, unitAmount, amount },
      ]);
    },
  );
});

describe('usageLines', () => {
  const calls = metric({ id: 'bm_calls', name: 'API calls', aggregation: 'count', unitAmount: '0.01' });
  const storage = metric({ id: 'bm_storage', name: 'Storage', aggregation: 'sum', unitAmount: '2' });
  const seats = metric({ id: 'bm_seats', name: 'Seats', aggregation: 'count_unique', unitAmount: '5' });
  const events = new Map<string, UsageEvent[]>([
    ['bm_seats', [usageEvent({ uniqueValue: 'alice' }), usageEvent({ uniqueValue: 'bob' })]],
    ['bm_calls', withValues('1', '1', '1')],
    ['bm_storage', []],
    ['bm_unknown', withValues('99')],
  ]);

  it('writes one line per metric with events, in the order of the metrics given', () => {
    expect(usageLines([seats, storage, calls], events, 'usd', 'usage')).toEqual([
      {
        kind: 'usage',
        metricId: 'bm_seats',
        description: 'Seats',
        quantity: '2',
        unitAmount: '5',
        amount: '10.00',
      },
      {
        kind: 'usage',
        metricId: 'bm_calls',
        description: 'API calls',
        quantity: '3',
        unitAmount: '0.01',
        amount: '0.03',
      },
    ]);
    expect(usageLines([calls, seats], events, 'usd', 'usage').map((line) => line.metricId)).toEqual([
      'bm_calls',
      'bm_seats',
    ]);
  });

  it('skips metrics without events, and events of metrics not given', () => {
    expect(usageLines([storage], events, 'usd', 'usage')).toEqual([]);
    expect(usageLines([metric({ id: 'bm_absent' })], events, 'usd', 'usage')).toEqual([]);
    expect(usageLines([], events, 'usd', 'usage')).toEqual([]);
  });

  it('marks late usage in the description and kind', () => {
    expect(usageLines([calls, seats], events, 'usd', 'late_usage')).toEqual([
      expect.objectContaining({
        kind: 'late_usage',
        metricId: 'bm_calls',
        description: 'API calls (usage from earlier periods)',
        quantity: '3',
        amount: '0.03',
      }),
      expect.objectContaining({
        kind: 'late_usage',
        metricId: 'bm_seats',
        description: 'Seats (usage from earlier periods)',
        quantity: '2',
        amount: '10.00',
      }),
    ]);
  });

  it('keeps a zero-quantity line for a metric that has events', () => {
    const markup = metric({ id: 'bm_markup', name: 'Markup', aggregation: 'markup_percentage' });
    expect(usageLines([markup], new Map([['bm_markup', withValues('10')]]), 'jpy', 'usage')).toEqual([
      expect.objectContaining({ metricId: 'bm_markup', quantity: '0', amount: '0' }),
    ]);
  });
});

describe('usage line properties', () => {
  const NUM_RUNS = 150;
  const BASE = Date.parse('2026-03-01T00:00:00Z');

  /** Decimal text with up to `maxScale` fraction digits. */
  const decimal$ = (maxUnits: bigint, maxScale: number, min = -maxUnits) =>
    fc
      .tuple(fc.bigInt({ min, max: maxUnits }), fc.integer({ min: 0, max: maxScale }))
      .map(([units, scale]) => new ExactDecimal(units.toString()).div(10 ** scale).toFixed());

  const instant$ = fc.integer({ min: 0, max: 60 * 86_400_000 }).map((ms) => new Date(BASE + ms));

  const usageEvent$: fc.Arbitrary<UsageEvent> = fc
    .record({
      timestamp: instant$,
      value: fc.option(decimal$(10n ** 24n, 18), { nil: null }),
      uniqueValue: fc.option(fc.constantFrom('u1', 'u2', 'u3'), { nil: null }),
      start: fc.option(instant$, { nil: null }),
      durationMs: fc.option(fc.integer({ min: 0, max: 3 * 86_400_000 }), { nil: null }),
      markupPercentage: fc.option(decimal$(10n ** 7n, 4, 0n), { nil: null }),
    })
    .map(({ start, durationMs, ...event }) => ({
      ...event,
      startTime: start,
      endTime: start === null || durationMs === null ? null : new Date(start.getTime() + durationMs),
    }));

  const sumEvent$ = decimal$(10n ** 24n, 18).map((value) => usageEvent({ value }));

  /** The quantities billed for the two parts of a split, added up, and for all events at once. */
  function splitAndWhole(priced: PricedMetric, tagged: readonly [UsageEvent, boolean][]) {
    const first = tagged.filter(([, inFirst]) => inFirst).map(([event]) => event);
    const second = tagged.filter(([, inFirst]) => !inFirst).map(([event]) => event);
    return {
      split: new ExactDecimal(billedQuantity(priced, first)).plus(billedQuantity(priced, second)),
      whole: billedQuantity(
        priced,
        tagged.map(([event]) => event),
      ),
    };
  }

  it('splitting sum events between two invoices bills exactly the quantity of one invoice', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(sumEvent$, fc.boolean()), { maxLength: 30 }), (tagged) => {
        const { split, whole } = splitAndWhole(metric({ aggregation: 'sum' }), tagged);
        expect(split.toFixed()).toBe(new ExactDecimal(whole).toFixed());
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('splitting events between two invoices never bills more quantity than one invoice: it is equal', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(usageEvent$, fc.boolean()), { maxLength: 30 }),
        fc.constantFrom<[Aggregation, TimeUnit | null]>(
          ['sum', null],
          ['count', null],
          ['markup_percentage', null],
          // Whole intervals in seconds: nothing rounds, so a split cannot lose or gain a digit.
          ['time_duration', 'second'],
          ['time_duration', null],
        ),
        (tagged, [aggregation, timeUnit]) => {
          const { split, whole } = splitAndWhole(metric({ aggregation, timeUnit }), tagged);
          expect(split.toFixed()).toBe(new ExactDecimal(whole).toFixed());
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('writes every amount with exactly the currency minor digits, as priceQuantity prices the quantity', () => {
    fc.assert(
      fc.property(
        fc.array(usageEvent$, { minLength: 1, maxLength: 20 }),
        fc.constantFrom<Aggregation>(
          'sum',
          'count',
          'count_unique',
          'average',
          'time_duration',
          'markup_percentage',
        ),
        fc.constantFrom<TimeUnit | null>('second', 'minute', 'hour', null),
        decimal$(10n ** 12n, 12, 0n),
        fc.constantFrom('usd', 'eur', 'jpy', 'krw', 'kwd', 'bhd'),
        fc.constantFrom<'usage' | 'late_usage'>('usage', 'late_usage'),
        (events, aggregation, timeUnit, unitAmount, currency, kind) => {
          const priced = metric({ aggregation, timeUnit, unitAmount });
          const [line, ...rest] = usageLines([priced], new Map([[priced.id, events]]), currency, kind);
          expect(rest).toEqual([]);
          const digits = minorUnitDigits(currency);
          expect(line.amount).toMatch(digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`));
          expect(line.quantity).toBe(billedQuantity(priced, events));
          expect(line.unitAmount).toBe(unitAmount);
          expect(line.amount).toBe(rate(line.quantity, perUnit(unitAmount), currency));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
