import fc from 'fast-check';
import { minorUnitDigits } from '../../common/money/currency.js';
import { decimalText, ExactDecimal } from '../../common/money/decimal.js';
import { creditWindowEnd, creditWindowStart } from '../../credits/domain/credit-window.js';
import type { Aggregation, TimeUnit } from '../../metering/domain/aggregation.js';
import { perUnit, type Price } from '../../metering/domain/price.js';
import { priceQuantity, rate } from '../../metering/domain/rating.js';
import { emptyBucket, type UsageEvent } from '../../usage/domain/bucket.js';
import { quantityOf } from '../../usage/domain/quantity.js';
import {
  billedQuantity,
  billedState,
  groupByPeriod,
  periodLabel,
  periodLine,
  type BillingPeriod,
  type PeriodPlan,
  type PricedMetric,
  type UsageLine,
  type UsageLineKind,
} from './invoice-lines.js';
import {
  graduated,
  volume,
  pack,
  type TierSpec,
  priceTiers$,
  priceBounds$,
} from '../../../test/support/prices.js';

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
    price: perUnit('0.01'),
    ...overrides,
  };
}

const withValues = (...values: string[]): UsageEvent[] => values.map((value) => usageEvent({ value }));
const users = (...uniqueValues: string[]): UsageEvent[] =>
  uniqueValues.map((uniqueValue) => usageEvent({ uniqueValue }));

const period = (start: string, end: string): BillingPeriod => ({ start: at(start), end: at(end) });
const MARCH = period('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
const FEBRUARY = period('2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z');

// Prices of every model, as rating.spec.ts writes them.

/** API calls: 0–1,000 free, 1,001–100,000 at 0.002, above at 0.001. */
const API: TierSpec[] = [
  ['1000', '0'],
  ['100000', '0.002'],
  [null, '0.001'],
];
/** Flat amounts: 1–10 at 1 plus 5, above at 0.5 plus 20. */
const FLAT: TierSpec[] = [
  ['10', '1', '5'],
  [null, '0.5', '20'],
];

/** A tier row of a line, as invoice lines store it. */
const row = (
  from: string,
  to: string | null,
  quantity: string,
  unitAmount: string,
  amount: string,
  flatAmount = '0',
) => ({ from, to, quantity, unit_amount: unitAmount, flat_amount: flatAmount, amount });

/**
 * One metric's period billed over consecutive invoices, one per part: each line's `earlier` is
 * the state of every event of the invoices before it and the sum of their lines' amounts.
 */
function billInParts(
  priced: PricedMetric,
  parts: readonly (readonly UsageEvent[])[],
  currency = 'usd',
  options: { kind?: UsageLineKind; label?: string | null; period?: BillingPeriod } = {},
): UsageLine[] {
  const lines: UsageLine[] = [];
  parts.forEach((events, index) => {
    const earlier =
      index === 0
        ? null
        : {
            state: billedState(parts.slice(0, index).flat()),
            amount: decimalText(lines.reduce((sum, line) => sum.plus(line.amount), new ExactDecimal(0))),
          };
    lines.push(
      periodLine(
        {
          metric: priced,
          kind: options.kind ?? 'usage',
          period: options.period ?? MARCH,
          state: billedState(events),
          earlier,
        },
        currency,
        options.label ?? null,
      ),
    );
  });
  return lines;
}

const totalOf = (lines: readonly { amount: string }[]): ExactDecimal =>
  lines.reduce((sum, line) => sum.plus(line.amount), new ExactDecimal(0));

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
      const priced = metric({ aggregation, timeUnit: timeUnit ?? null, price: perUnit(unitAmount) });
      expect(billedQuantity(priced, events)).toBe(quantity);
      expect(quantityOf(aggregation, billedState(events), timeUnit ?? null)).toBe(quantity);
      const line = periodLine(
        { metric: priced, kind: 'usage', period: MARCH, state: billedState(events), earlier: null },
        currency ?? 'usd',
        null,
      );
      expect(line).toEqual({
        kind: 'usage',
        metricId: 'bm_1',
        description: 'API calls',
        quantity,
        unitAmount,
        amount,
        tiers: new ExactDecimal(quantity).isZero()
          ? []
          : [row('0', null, quantity, unitAmount, decimalText(new ExactDecimal(quantity).times(unitAmount)))],
        periodStart: MARCH.start,
        periodEnd: MARCH.end,
      });
    },
  );

  it.each(CASES)(
    '$name, billed over two invoices of the period, still totals $amount',
    ({ aggregation, timeUnit, unitAmount, currency, events, amount }) => {
      const priced = metric({ aggregation, timeUnit: timeUnit ?? null, price: perUnit(unitAmount) });
      const half = Math.ceil(events.length / 2);
      const parts = [events.slice(0, half), events.slice(half)].filter((part) => part.length > 0);
      const lines = billInParts(priced, parts, currency ?? 'usd');
      expect(lines).toHaveLength(parts.length);
      expect(totalOf(lines).toFixed(minorUnitDigits(currency ?? 'usd'))).toBe(amount);
    },
  );
});

describe('billedState', () => {
  it('is empty for no events', () => {
    expect(billedState([])).toEqual(emptyBucket());
  });

  it('adds each event whole: count, sum, markup, distinct values and its full duration', () => {
    expect(
      billedState([
        usageEvent({ value: '1000', markupPercentage: '2.5', uniqueValue: 'u2' }),
        usageEvent({ value: '0.5', uniqueValue: 'u1' }),
        usageEvent({ uniqueValue: 'u2' }),
        lasting('2026-03-01T23:30:00Z', '2026-03-02T01:45:00Z'),
        lasting('2026-03-01T10:00:10Z', '2026-03-01T10:00:00Z'),
      ]),
    ).toEqual({
      count: 5,
      sum: '1000.5',
      markupSum: '25',
      durationMs: String(135 * 60_000),
      distinct: { u1: 1, u2: 2 },
    });
  });

  it('continues from an earlier state: the state of both sets of events at once', () => {
    const first = [
      usageEvent({ value: '0.1', uniqueValue: 'b' }),
      lasting('2026-03-01T10:00:00Z', '2026-03-01T10:01:00Z'),
    ];
    const second = [usageEvent({ value: '0.2', uniqueValue: 'a' }), usageEvent({ uniqueValue: 'b' })];
    expect(billedState(second, billedState(first))).toEqual(billedState([...first, ...second]));
    expect(billedState(second, billedState(first))).toEqual({
      count: 4,
      sum: '0.3',
      markupSum: '0',
      durationMs: '60000',
      distinct: { a: 1, b: 2 },
    });
    expect(billedState([], billedState(first))).toEqual(billedState(first));
  });
});

describe('periodLabel', () => {
  it.each([
    [period('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'), '2026-11-01 to 2026-12-01'],
    [FEBRUARY, '2026-02-01 to 2026-03-01'],
    [period('2026-03-15T12:30:00Z', '2026-04-15T12:30:00Z'), '2026-03-15 to 2026-04-15'],
    [period('2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00Z'), '2026-12-31 to 2027-01-01'],
  ])('%o → %s (UTC dates)', (billingPeriod, label) => {
    expect(periodLabel(billingPeriod)).toBe(label);
  });
});

describe('lines of an invoice window', () => {
  const calls = metric({ id: 'bm_calls', name: 'API calls', aggregation: 'count', price: perUnit('0.01') });
  const storage = metric({ id: 'bm_storage', name: 'Storage', aggregation: 'sum', price: perUnit('2') });
  const seats = metric({ id: 'bm_seats', name: 'Seats', aggregation: 'count_unique', price: perUnit('5') });
  const byId = new Map([calls, storage, seats].map((priced) => [priced.id, priced]));
  const events = new Map<string, UsageEvent[]>([
    ['bm_seats', users('alice', 'bob')],
    ['bm_calls', withValues('1', '1', '1')],
    ['bm_storage', []],
  ]);
  const plan: PeriodPlan = { kind: 'invoice_window', window: MARCH, earlierWindows: [] };
  const NONE = new Map<string, UsageEvent[]>();

  /** The lines of groups of known metrics, as the invoice writes them for its first bill of each period. */
  const linesOf = (groups: ReturnType<typeof groupByPeriod>, label: (p: BillingPeriod) => string | null) =>
    groups.map((group) =>
      periodLine(
        {
          metric: byId.get(group.metricId)!,
          kind: group.kind,
          period: group.period,
          state: billedState(group.events),
          earlier: null,
        },
        'usd',
        label(group.period),
      ),
    );

  it('writes one line per metric with events, in metric id order', () => {
    const lines = linesOf(groupByPeriod({ window: events, late: NONE }, plan), () => null);
    expect(lines).toEqual([
      {
        kind: 'usage',
        metricId: 'bm_calls',
        description: 'API calls',
        quantity: '3',
        unitAmount: '0.01',
        amount: '0.03',
        tiers: [row('0', null, '3', '0.01', '0.03')],
        periodStart: MARCH.start,
        periodEnd: MARCH.end,
      },
      {
        kind: 'usage',
        metricId: 'bm_seats',
        description: 'Seats',
        quantity: '2',
        unitAmount: '5',
        amount: '10.00',
        tiers: [row('0', null, '2', '5', '10')],
        periodStart: MARCH.start,
        periodEnd: MARCH.end,
      },
    ]);
    const reversed = new Map([...events].reverse());
    expect(groupByPeriod({ window: reversed, late: NONE }, plan).map((group) => group.metricId)).toEqual([
      'bm_calls',
      'bm_seats',
    ]);
  });

  it('skips metrics without events, and groups events of any metric (the invoice keeps known ones)', () => {
    expect(groupByPeriod({ window: new Map([['bm_storage', []]]), late: NONE }, plan)).toEqual([]);
    expect(groupByPeriod({ window: NONE, late: NONE }, plan)).toEqual([]);
    expect(groupByPeriod({ window: new Map([['bm_unknown', withValues('99')]]), late: NONE }, plan)).toEqual([
      { metricId: 'bm_unknown', kind: 'usage', period: MARCH, events: withValues('99') },
    ]);
  });

  it('marks late usage in the description and kind, and names its period', () => {
    const late = new Map<string, UsageEvent[]>([
      [
        'bm_calls',
        withValues('1', '1', '1').map((event) => ({ ...event, timestamp: at('2026-02-10T00:00:00Z') })),
      ],
      [
        'bm_seats',
        users('alice', 'bob').map((event) => ({ ...event, timestamp: at('2026-02-20T00:00:00Z') })),
      ],
    ]);
    const groups = groupByPeriod({ window: NONE, late }, { ...plan, earlierWindows: [FEBRUARY] });
    expect(linesOf(groups, () => null)).toEqual([
      expect.objectContaining({
        kind: 'late_usage',
        metricId: 'bm_calls',
        description: 'API calls (usage from earlier periods)',
        quantity: '3',
        amount: '0.03',
        periodStart: FEBRUARY.start,
        periodEnd: FEBRUARY.end,
      }),
      expect.objectContaining({
        kind: 'late_usage',
        metricId: 'bm_seats',
        description: 'Seats (usage from earlier periods)',
        quantity: '2',
        amount: '10.00',
      }),
    ]);
    expect(linesOf(groups, periodLabel).map((line) => line.description)).toEqual([
      'API calls (usage from earlier periods: 2026-02-01 to 2026-03-01)',
      'Seats (usage from earlier periods: 2026-02-01 to 2026-03-01)',
    ]);
  });

  it('keeps a zero-quantity line for a metric that has events', () => {
    const markup = metric({ id: 'bm_markup', name: 'Markup', aggregation: 'markup_percentage' });
    expect(
      periodLine(
        { metric: markup, kind: 'usage', period: MARCH, state: billedState(withValues('10')), earlier: null },
        'jpy',
        null,
      ),
    ).toEqual(expect.objectContaining({ metricId: 'bm_markup', quantity: '0', amount: '0', tiers: [] }));
  });
});

describe('groupByPeriod', () => {
  type Tagged = UsageEvent & { id: string };
  const tagged = (id: string, iso: string): Tagged => ({ ...usageEvent({ timestamp: at(iso) }), id });
  const ids = (groups: ReturnType<typeof groupByPeriod<Tagged>>) =>
    groups.map(({ metricId, kind, period: p, events }) => ({
      metricId,
      kind,
      period: periodLabel(p),
      events: events.map((event) => event.id),
    }));

  describe('over the invoice window', () => {
    const JANUARY = period('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
    const LATE_FEBRUARY = period('2026-02-15T00:00:00Z', '2026-03-01T00:00:00Z');
    const plan: PeriodPlan = {
      kind: 'invoice_window',
      window: MARCH,
      earlierWindows: [FEBRUARY, LATE_FEBRUARY, JANUARY],
    };

    it('puts window events in the window, whatever their timestamp', () => {
      const groups = groupByPeriod(
        {
          window: new Map([
            ['bm_a', [tagged('w1', '2026-03-01T00:00:00Z'), tagged('w2', '2026-01-05T00:00:00Z')]],
          ]),
          late: new Map(),
        },
        plan,
      );
      expect(groups).toEqual([
        {
          metricId: 'bm_a',
          kind: 'usage',
          period: MARCH,
          events: [expect.objectContaining({ id: 'w1' }), expect.objectContaining({ id: 'w2' })],
        },
      ]);
    });

    it('puts each late event in the latest-starting earlier window holding it ([start, end))', () => {
      const groups = groupByPeriod(
        {
          window: new Map(),
          late: new Map([
            [
              'bm_a',
              [
                tagged('feb20', '2026-02-20T00:00:00Z'),
                tagged('feb10', '2026-02-10T00:00:00Z'),
                tagged('jan5', '2026-01-05T00:00:00Z'),
                tagged('feb1', '2026-02-01T00:00:00Z'),
                tagged('feb15', '2026-02-15T00:00:00Z'),
                tagged('feb28', '2026-02-28T23:59:59.999Z'),
              ],
            ],
          ]),
        },
        plan,
      );
      expect(ids(groups)).toEqual([
        { metricId: 'bm_a', kind: 'late_usage', period: '2026-01-01 to 2026-02-01', events: ['jan5'] },
        {
          metricId: 'bm_a',
          kind: 'late_usage',
          period: '2026-02-01 to 2026-03-01',
          events: ['feb10', 'feb1'],
        },
        {
          metricId: 'bm_a',
          kind: 'late_usage',
          period: '2026-02-15 to 2026-03-01',
          events: ['feb20', 'feb15', 'feb28'],
        },
      ]);
      expect(groups.map((group) => group.period)).toEqual([JANUARY, FEBRUARY, LATE_FEBRUARY]);
    });

    it('orders the window usage first, then late usage, each by metric then period start', () => {
      const groups = groupByPeriod(
        {
          window: new Map([
            ['bm_b', [tagged('b-mar', '2026-03-02T00:00:00Z')]],
            ['bm_a', [tagged('a-mar', '2026-03-03T00:00:00Z')]],
          ]),
          late: new Map([
            ['bm_b', [tagged('b-feb', '2026-02-03T00:00:00Z'), tagged('b-jan', '2026-01-03T00:00:00Z')]],
            ['bm_a', [tagged('a-feb', '2026-02-04T00:00:00Z')]],
          ]),
        },
        plan,
      );
      expect(ids(groups)).toEqual([
        { metricId: 'bm_a', kind: 'usage', period: '2026-03-01 to 2026-04-01', events: ['a-mar'] },
        { metricId: 'bm_b', kind: 'usage', period: '2026-03-01 to 2026-04-01', events: ['b-mar'] },
        { metricId: 'bm_a', kind: 'late_usage', period: '2026-02-01 to 2026-03-01', events: ['a-feb'] },
        { metricId: 'bm_b', kind: 'late_usage', period: '2026-01-01 to 2026-02-01', events: ['b-jan'] },
        { metricId: 'bm_b', kind: 'late_usage', period: '2026-02-01 to 2026-03-01', events: ['b-feb'] },
      ]);
    });

    it('returns the events given, in their order', () => {
      const events = [tagged('x', '2026-03-05T00:00:00Z'), tagged('y', '2026-03-04T00:00:00Z')];
      const [group] = groupByPeriod({ window: new Map([['bm_a', events]]), late: new Map() }, plan);
      expect(group.events[0]).toBe(events[0]);
      expect(group.events[1]).toBe(events[1]);
    });
  });

  describe('over credit windows', () => {
    const plan: PeriodPlan = {
      kind: 'credit_window',
      windowOf: (instant) => ({
        start: creditWindowStart(instant),
        end: creditWindowEnd(creditWindowStart(instant)),
      }),
    };

    it('groups window events by the UTC month they fall in', () => {
      const groups = groupByPeriod(
        {
          window: new Map([
            [
              'bm_a',
              [
                tagged('mar15', '2026-03-15T00:00:00Z'),
                tagged('apr1', '2026-04-01T00:00:00Z'),
                tagged('mar31', '2026-03-31T23:59:59.999Z'),
              ],
            ],
          ]),
          late: new Map(),
        },
        plan,
      );
      expect(ids(groups)).toEqual([
        { metricId: 'bm_a', kind: 'usage', period: '2026-03-01 to 2026-04-01', events: ['mar15', 'mar31'] },
        { metricId: 'bm_a', kind: 'usage', period: '2026-04-01 to 2026-05-01', events: ['apr1'] },
      ]);
      expect(groups[0].period).toEqual(MARCH);
    });

    it('makes a month holding window and late events one usage group; a month of late events only is late', () => {
      const groups = groupByPeriod(
        {
          window: new Map([['bm_a', [tagged('mar20', '2026-03-20T00:00:00Z')]]]),
          late: new Map([
            ['bm_a', [tagged('mar10', '2026-03-10T00:00:00Z'), tagged('feb10', '2026-02-10T00:00:00Z')]],
            ['bm_b', [tagged('b-mar10', '2026-03-10T00:00:00Z')]],
          ]),
        },
        plan,
      );
      expect(ids(groups)).toEqual([
        { metricId: 'bm_a', kind: 'usage', period: '2026-03-01 to 2026-04-01', events: ['mar20', 'mar10'] },
        { metricId: 'bm_a', kind: 'late_usage', period: '2026-02-01 to 2026-03-01', events: ['feb10'] },
        { metricId: 'bm_b', kind: 'late_usage', period: '2026-03-01 to 2026-04-01', events: ['b-mar10'] },
      ]);
    });
  });
});

describe('periodLine', () => {
  interface ModelCase {
    name: string;
    price: Price;
    aggregation?: Aggregation;
    currency?: string;
    parts: UsageEvent[][];
    lines: Array<Pick<UsageLine, 'quantity' | 'amount' | 'tiers'> & { description?: string }>;
  }
  const count = (n: number) => Array.from({ length: n }, () => usageEvent());

  it.each<ModelCase>([
    {
      name: 'per_unit: each invoice of the period bills its own units',
      price: perUnit('0.01'),
      parts: [withValues('150'), withValues('50')],
      lines: [
        { quantity: '150', amount: '1.50', tiers: [row('0', null, '150', '0.01', '1.5')] },
        { quantity: '50', amount: '0.50', tiers: [row('0', null, '50', '0.01', '0.5')] },
      ],
    },
    {
      name: 'per_unit: the period rounds once, not once per invoice',
      price: perUnit('0.001'),
      parts: [withValues('5'), withValues('5'), withValues('5')],
      lines: [
        { quantity: '5', amount: '0.01', tiers: [row('0', null, '5', '0.001', '0.005')] },
        { quantity: '5', amount: '0.00', tiers: [row('0', null, '5', '0.001', '0.005')] },
        { quantity: '5', amount: '0.01', tiers: [row('0', null, '5', '0.001', '0.005')] },
      ],
    },
    {
      name: 'graduated: 150,000 calls on one invoice',
      price: graduated(API),
      parts: [withValues('150000')],
      lines: [
        {
          quantity: '150000',
          amount: '248.00',
          tiers: [
            row('0', '1000', '1000', '0', '0'),
            row('1000', '100000', '99000', '0.002', '198'),
            row('100000', null, '50000', '0.001', '50'),
          ],
        },
      ],
    },
    {
      name: 'graduated: a later invoice of the period prices at the tiers the period reached',
      price: graduated(API),
      parts: [withValues('150000'), withValues('50000')],
      lines: [
        { quantity: '150000', amount: '248.00', tiers: expect.any(Array) },
        { quantity: '50000', amount: '50.00', tiers: [row('100000', null, '50000', '0.001', '50')] },
      ],
    },
    {
      name: 'graduated: four invoices of the period crossing every tier',
      price: graduated(API),
      parts: [withValues('500'), withValues('600', '400'), withValues('98500'), withValues('1')],
      lines: [
        { quantity: '500', amount: '0.00', tiers: [row('0', '1000', '500', '0', '0')] },
        {
          quantity: '1000',
          amount: '1.00',
          tiers: [row('0', '1000', '500', '0', '0'), row('1000', '100000', '500', '0.002', '1')],
        },
        { quantity: '98500', amount: '197.00', tiers: [row('1000', '100000', '98500', '0.002', '197')] },
        { quantity: '1', amount: '0.00', tiers: [row('100000', null, '1', '0.001', '0.001')] },
      ],
    },
    {
      name: "graduated: each tier's flat amount once in the period",
      price: graduated(FLAT),
      parts: [withValues('4'), withValues('8')],
      lines: [
        { quantity: '4', amount: '9.00', tiers: [row('0', '10', '4', '1', '9', '5')] },
        {
          quantity: '8',
          amount: '27.00',
          tiers: [row('0', '10', '6', '1', '6', '0'), row('10', null, '2', '0.5', '21', '20')],
        },
      ],
    },
    {
      name: 'graduated count_unique: a value seen on an earlier invoice is not billed again',
      price: graduated([
        ['2', '5'],
        [null, '1'],
      ]),
      aggregation: 'count_unique',
      parts: [users('alice', 'bob'), users('bob', 'carol')],
      lines: [
        { quantity: '2', amount: '10.00', tiers: [row('0', '2', '2', '5', '10')] },
        { quantity: '2', amount: '1.00', tiers: [row('2', null, '1', '1', '1')] },
      ],
    },
    {
      name: 'graduated count in jpy: half a yen rounds up once for the period',
      price: graduated([
        ['10', '0'],
        [null, '1.5'],
      ]),
      aggregation: 'count',
      currency: 'jpy',
      parts: [count(10), count(3), count(1)],
      lines: [
        { quantity: '10', amount: '0', tiers: [row('0', '10', '10', '0', '0')] },
        { quantity: '3', amount: '5', tiers: [row('10', null, '3', '1.5', '4.5')] },
        { quantity: '1', amount: '1', tiers: [row('10', null, '1', '1.5', '1.5')] },
      ],
    },
    {
      name: 'graduated in kwd keeps three decimals',
      price: graduated(API),
      currency: 'kwd',
      parts: [withValues('1000.5'), withValues('99000')],
      lines: [
        {
          quantity: '1000.5',
          amount: '0.001',
          tiers: [row('0', '1000', '1000', '0', '0'), row('1000', '100000', '0.5', '0.002', '0.001')],
        },
        {
          quantity: '99000',
          amount: '198.000',
          tiers: [
            row('1000', '100000', '98999.5', '0.002', '197.999'),
            row('100000', null, '0.5', '0.001', '0.0005'),
          ],
        },
      ],
    },
    {
      name: 'volume: every unit at the tier the quantity reached',
      price: volume(API),
      parts: [withValues('1001')],
      lines: [{ quantity: '1001', amount: '2.00', tiers: [row('1000', '100000', '1001', '0.002', '2.002')] }],
    },
    {
      name: 'volume: reaching a cheaper tier later in the period bills a negative difference',
      price: volume(API),
      parts: [withValues('100000'), withValues('1')],
      lines: [
        { quantity: '100000', amount: '200.00', tiers: [row('1000', '100000', '100000', '0.002', '200')] },
        {
          quantity: '1',
          amount: '-100.00',
          tiers: [
            row('1000', '100000', '-100000', '0.002', '-200'),
            row('100000', null, '100001', '0.001', '100.001'),
          ],
        },
      ],
    },
    {
      name: "volume: the tier's flat amount follows the tier",
      price: volume(FLAT),
      parts: [withValues('10'), withValues('1')],
      lines: [
        { quantity: '10', amount: '15.00', tiers: [row('0', '10', '10', '1', '15', '5')] },
        {
          quantity: '1',
          amount: '10.50',
          tiers: [row('0', '10', '-10', '1', '-15', '-5'), row('10', null, '11', '0.5', '25.5', '20')],
        },
      ],
    },
    {
      name: 'package, rounding up: a partial package is billed once in the period',
      price: pack('100', '10'),
      parts: [withValues('250'), withValues('40'), withValues('60')],
      lines: [
        { quantity: '250', amount: '30.00', tiers: [row('0', null, '3', '10', '30')] },
        { quantity: '40', amount: '0.00', tiers: [] },
        { quantity: '60', amount: '10.00', tiers: [row('0', null, '1', '10', '10')] },
      ],
    },
    {
      name: 'package, rounding down: a package is billed when the period completes it',
      price: pack('100', '10', 'down'),
      parts: [withValues('250'), withValues('40'), withValues('60')],
      lines: [
        { quantity: '250', amount: '20.00', tiers: [row('0', null, '2', '10', '20')] },
        { quantity: '40', amount: '0.00', tiers: [] },
        { quantity: '60', amount: '10.00', tiers: [row('0', null, '1', '10', '10')] },
      ],
    },
    {
      name: 'package of counted events',
      price: pack('2', '1.5'),
      aggregation: 'count',
      parts: [count(3), count(1), count(1)],
      lines: [
        { quantity: '3', amount: '3.00', tiers: [row('0', null, '2', '1.5', '3')] },
        { quantity: '1', amount: '0.00', tiers: [] },
        { quantity: '1', amount: '1.50', tiers: [row('0', null, '1', '1.5', '1.5')] },
      ],
    },
    {
      name: 'a line minimum',
      price: graduated(API, { minimumAmount: '5' }),
      parts: [withValues('1500')],
      lines: [
        {
          quantity: '1500',
          amount: '5.00',
          tiers: [row('0', '1000', '1000', '0', '0'), row('1000', '100000', '500', '0.002', '1')],
          description: 'API calls (line minimum)',
        },
      ],
    },
    {
      name: 'usage still under the minimum later in the period bills nothing more',
      price: graduated(API, { minimumAmount: '5' }),
      parts: [withValues('1500'), withValues('1000')],
      lines: [
        {
          quantity: '1500',
          amount: '5.00',
          tiers: expect.any(Array),
          description: 'API calls (line minimum)',
        },
        {
          quantity: '1000',
          amount: '0.00',
          tiers: [row('1000', '100000', '1000', '0.002', '2')],
          description: 'API calls (line minimum)',
        },
      ],
    },
    {
      name: 'usage above the minimum later in the period bills the rest of its price',
      price: graduated(API, { minimumAmount: '5' }),
      parts: [withValues('1500'), withValues('10000')],
      lines: [
        {
          quantity: '1500',
          amount: '5.00',
          tiers: expect.any(Array),
          description: 'API calls (line minimum)',
        },
        {
          quantity: '10000',
          amount: '16.00',
          tiers: [row('1000', '100000', '10000', '0.002', '20')],
          description: 'API calls',
        },
      ],
    },
    {
      name: 'a line maximum, and nothing more once the period reached it',
      price: graduated(API, { maximumAmount: '100' }),
      parts: [withValues('150000'), withValues('1')],
      lines: [
        {
          quantity: '150000',
          amount: '100.00',
          tiers: expect.any(Array),
          description: 'API calls (line maximum)',
        },
        {
          quantity: '1',
          amount: '0.00',
          tiers: [row('100000', null, '1', '0.001', '0.001')],
          description: 'API calls (line maximum)',
        },
      ],
    },
    {
      name: 'a per_unit maximum',
      price: { ...perUnit('0.01'), maximumAmount: '1' },
      parts: [withValues('150')],
      lines: [
        {
          quantity: '150',
          amount: '1.00',
          tiers: [row('0', null, '150', '0.01', '1.5')],
          description: 'API calls (line maximum)',
        },
      ],
    },
  ])('$name', ({ price, aggregation, currency, parts, lines }) => {
    const priced = metric({ aggregation: aggregation ?? 'sum', price });
    const billed = billInParts(priced, parts, currency ?? 'usd');
    expect(billed).toEqual(
      lines.map((line) => ({
        kind: 'usage',
        metricId: 'bm_1',
        description: 'API calls',
        unitAmount: price.model === 'per_unit' ? price.unitAmount : null,
        periodStart: MARCH.start,
        periodEnd: MARCH.end,
        ...line,
      })),
    );
    // However the period was split, it costs what its whole usage costs.
    const whole = billedQuantity(priced, parts.flat());
    expect(totalOf(billed).toFixed(minorUnitDigits(currency ?? 'usd'))).toBe(
      rate(whole, price, currency ?? 'usd'),
    );
  });

  it('names late usage, the period and the bound in the description', () => {
    const minimum = metric({ price: graduated(API, { minimumAmount: '5' }) });
    const maximum = metric({ price: graduated(API, { maximumAmount: '0.5' }) });
    const line = (priced: PricedMetric, kind: UsageLineKind, label: string | null) =>
      periodLine(
        { metric: priced, kind, period: FEBRUARY, state: billedState(withValues('1500')), earlier: null },
        'usd',
        label,
      ).description;
    const label = periodLabel(FEBRUARY);
    expect(line(metric(), 'usage', label)).toBe('API calls (2026-02-01 to 2026-03-01)');
    expect(line(metric(), 'late_usage', label)).toBe(
      'API calls (usage from earlier periods: 2026-02-01 to 2026-03-01)',
    );
    expect(line(minimum, 'usage', label)).toBe('API calls (2026-02-01 to 2026-03-01, line minimum)');
    expect(line(minimum, 'late_usage', label)).toBe(
      'API calls (usage from earlier periods: 2026-02-01 to 2026-03-01, line minimum)',
    );
    expect(line(maximum, 'usage', null)).toBe('API calls (line maximum)');
    expect(line(maximum, 'late_usage', null)).toBe('API calls (usage from earlier periods, line maximum)');
    expect(line(metric(), 'usage', null)).toBe('API calls');
  });

  it('bills a late line against what the earlier invoice billed of its period', () => {
    const priced = metric({ price: graduated(API) });
    const [, late] = billInParts(priced, [withValues('150000'), withValues('50000')], 'usd', {
      kind: 'late_usage',
      label: periodLabel(FEBRUARY),
      period: FEBRUARY,
    });
    expect(late).toEqual({
      kind: 'late_usage',
      metricId: 'bm_1',
      description: 'API calls (usage from earlier periods: 2026-02-01 to 2026-03-01)',
      quantity: '50000',
      unitAmount: null,
      amount: '50.00',
      tiers: [row('100000', null, '50000', '0.001', '50')],
      periodStart: FEBRUARY.start,
      periodEnd: FEBRUARY.end,
    });
  });

  it('bills the difference to the amount earlier invoices billed, not their price', () => {
    // The earlier invoice billed 1.00 for 1,500 calls (its price has changed since, or it was amended).
    const priced = metric({ price: graduated(API) });
    const line = periodLine(
      {
        metric: priced,
        kind: 'usage',
        period: MARCH,
        state: billedState(withValues('500')),
        earlier: { state: billedState(withValues('1500')), amount: '3.00' },
      },
      'usd',
      null,
    );
    expect(line).toMatchObject({
      quantity: '500',
      amount: '-1.00',
      tiers: [row('1000', '100000', '500', '0.002', '1')],
    });
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

  const currency$ = fc.constantFrom('usd', 'eur', 'jpy', 'krw', 'kwd', 'bhd');
  const amountPattern = (currency: string) => {
    const digits = minorUnitDigits(currency);
    return digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`);
  };

  /** A tier boundary step: a few units (so counts cross tiers too) or a decimal up to 500. */
  const step$ = fc.oneof(fc.integer({ min: 1, max: 6 }).map(String), decimal$(50_000n, 2, 1n));
  const tiers$ = priceTiers$(step$);
  const bounds$ = priceBounds$;
  const graduated$: fc.Arbitrary<Price> = fc
    .tuple(tiers$, bounds$)
    .map(([tiers, bounds]) => ({ model: 'graduated', tiers, ...bounds }));
  const volume$: fc.Arbitrary<Price> = fc
    .tuple(tiers$, bounds$)
    .map(([tiers, bounds]) => ({ model: 'volume', tiers, ...bounds }));
  const package$: fc.Arbitrary<Price> = fc
    .tuple(step$, decimal$(10n ** 5n, 2, 0n), fc.constantFrom<'up' | 'down'>('up', 'down'), bounds$)
    .map(([packageSize, packageAmount, rounding, bounds]) => ({
      model: 'package',
      packageSize,
      packageAmount,
      rounding,
      ...bounds,
    }));
  const perUnit$: fc.Arbitrary<Price> = fc
    .tuple(decimal$(10n ** 6n, 6, 0n), bounds$)
    .map(([unitAmount, bounds]) => ({ ...perUnit(unitAmount), ...bounds }));

  /** The quantities billed for the two parts of a split, added up, and for all events at once. */
  function splitAndWhole(priced: PricedMetric, taggedEvents: readonly [UsageEvent, boolean][]) {
    const first = taggedEvents.filter(([, inFirst]) => inFirst).map(([event]) => event);
    const second = taggedEvents.filter(([, inFirst]) => !inFirst).map(([event]) => event);
    return {
      split: new ExactDecimal(billedQuantity(priced, first)).plus(billedQuantity(priced, second)),
      whole: billedQuantity(
        priced,
        taggedEvents.map(([event]) => event),
      ),
    };
  }

  it('splitting sum events between two invoices bills exactly the quantity of one invoice', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(sumEvent$, fc.boolean()), { maxLength: 30 }), (taggedEvents) => {
        const { split, whole } = splitAndWhole(metric({ aggregation: 'sum' }), taggedEvents);
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
        (taggedEvents, [aggregation, timeUnit]) => {
          const { split, whole } = splitAndWhole(metric({ aggregation, timeUnit }), taggedEvents);
          expect(split.toFixed()).toBe(new ExactDecimal(whole).toFixed());
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('an earlier state and more events make the state of all the events at once', () => {
    fc.assert(
      fc.property(
        fc.array(usageEvent$, { maxLength: 15 }),
        fc.array(usageEvent$, { maxLength: 15 }),
        (first, second) => {
          expect(billedState(second, billedState(first))).toEqual(billedState([...first, ...second]));
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
        currency$,
        fc.constantFrom<UsageLineKind>('usage', 'late_usage'),
        (events, aggregation, timeUnit, unitAmount, currency, kind) => {
          const priced = metric({ aggregation, timeUnit, price: perUnit(unitAmount) });
          const line = periodLine(
            { metric: priced, kind, period: MARCH, state: billedState(events), earlier: null },
            currency,
            null,
          );
          expect(line.amount).toMatch(amountPattern(currency));
          expect(line.kind).toBe(kind);
          expect(line.quantity).toBe(billedQuantity(priced, events));
          expect(line.unitAmount).toBe(unitAmount);
          expect(line.amount).toBe(rate(line.quantity, perUnit(unitAmount), currency));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('a first line of a period prices its quantity at any model: amount, unit amount, tiers and bound', () => {
    const valueEvent$ = fc
      .record({
        value: decimal$(10n ** 5n, 3, 0n),
        uniqueValue: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5'),
      })
      .map((fields) => usageEvent(fields));
    fc.assert(
      fc.property(
        fc.array(valueEvent$, { minLength: 1, maxLength: 20 }),
        fc.constantFrom<Aggregation>('sum', 'count', 'count_unique', 'average'),
        fc.oneof(graduated$, volume$, package$, perUnit$),
        currency$,
        (events, aggregation, price, currency) => {
          const priced = metric({ aggregation, price });
          const line = periodLine(
            { metric: priced, kind: 'usage', period: MARCH, state: billedState(events), earlier: null },
            currency,
            null,
          );
          const whole = priceQuantity(billedQuantity(priced, events), price, currency);
          expect(line.amount).toMatch(amountPattern(currency));
          expect(line.amount).toBe(whole.amount);
          expect(line.unitAmount).toBe(price.model === 'per_unit' ? price.unitAmount : null);
          expect(decimalText(totalOf(line.tiers))).toBe(whole.subtotal);
          expect(line.description).toBe(
            whole.bound === null ? 'API calls' : `API calls (line ${whole.bound})`,
          );
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('consecutive invoices of one period bill in total exactly the price of all its events', () => {
    const event$ = fc
      .record({
        value: decimal$(10n ** 5n, 3, 0n),
        uniqueValue: fc.option(fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', 'u6'), { nil: null }),
      })
      .map((fields) => usageEvent(fields));
    fc.assert(
      fc.property(
        fc.array(fc.array(event$, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom<Aggregation>('sum', 'count', 'count_unique'),
        fc.oneof(graduated$, volume$, package$),
        fc.constantFrom('usd', 'jpy', 'kwd'),
        (parts, aggregation, price, currency) => {
          const priced = metric({ aggregation, price });
          const lines = billInParts(priced, parts, currency);
          const whole = priceQuantity(billedQuantity(priced, parts.flat()), price, currency);
          // A volume price's difference may go negative (a cheaper tier reached): it is still summed.
          expect(totalOf(lines).toFixed(minorUnitDigits(currency))).toBe(whole.amount);
          expect(decimalText(totalOf(lines.flatMap((line) => line.tiers)))).toBe(whole.subtotal);
          for (const [index, line] of lines.entries()) {
            expect(line.amount).toMatch(amountPattern(currency));
            expect(line.quantity).toBe(billedQuantity(priced, parts[index]));
            // Graduated and package prices never cost less for more usage.
            if (price.model !== 'volume') expect(new ExactDecimal(line.amount).isNegative()).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('groups every credit-window event once, in the month of its timestamp, sorted', () => {
    const plan: PeriodPlan = {
      kind: 'credit_window',
      windowOf: (instant) => ({
        start: creditWindowStart(instant),
        end: creditWindowEnd(creditWindowStart(instant)),
      }),
    };
    const metricEvents$ = fc.array(
      fc.tuple(
        fc.constantFrom('bm_a', 'bm_b', 'bm_c'),
        instant$.map((timestamp) => usageEvent({ timestamp })),
      ),
      { maxLength: 20 },
    );
    const byMetric = (pairs: [string, UsageEvent][]) => {
      const map = new Map<string, UsageEvent[]>();
      for (const [id, event] of pairs) map.set(id, [...(map.get(id) ?? []), event]);
      return map;
    };
    fc.assert(
      fc.property(metricEvents$, metricEvents$, (windowPairs, latePairs) => {
        const groups = groupByPeriod({ window: byMetric(windowPairs), late: byMetric(latePairs) }, plan);
        const windowEvents = new Set(windowPairs.map(([, event]) => event));
        const grouped = groups.flatMap((group) => group.events.map((event) => [group.metricId, event]));
        expect(grouped).toHaveLength(windowPairs.length + latePairs.length);
        expect(new Set(grouped.map(([, event]) => event)).size).toBe(grouped.length);
        // The window's usage first, then late usage, each by metric then period.
        const keys = groups.map((group) => `${group.metricId} ${group.period.start.toISOString()}`);
        expect(new Set(keys).size).toBe(keys.length);
        const ordered = groups.map(
          (group) =>
            `${group.kind === 'usage' ? 0 : 1} ${group.metricId} ${group.period.start.toISOString()}`,
        );
        expect([...ordered].sort()).toEqual(ordered);
        for (const group of groups) {
          for (const event of group.events) {
            expect(group.period).toEqual(plan.windowOf(event.timestamp));
            const source = windowEvents.has(event) ? windowPairs : latePairs;
            expect(source.some(([id, e]) => id === group.metricId && e === event)).toBe(true);
          }
          expect(group.kind).toBe(
            group.events.some((event) => windowEvents.has(event)) ? 'usage' : 'late_usage',
          );
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('puts each late event in the latest-starting earlier window holding it', () => {
    const DAY = 86_400_000;
    const window$ = fc
      .tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 20 }))
      .map(([startDay, days]) => ({
        start: new Date(BASE - 80 * DAY + startDay * DAY),
        end: new Date(BASE - 80 * DAY + (startDay + days) * DAY),
      }));
    const input$ = fc.array(window$, { minLength: 1, maxLength: 5 }).chain((windows) =>
      fc.record({
        windows: fc.constant(windows),
        late: fc.array(
          fc
            .tuple(
              fc.integer({ min: 0, max: windows.length - 1 }),
              fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
            )
            .map(([index, share]) => {
              const { start, end } = windows[index];
              const ms = start.getTime() + Math.floor(share * (end.getTime() - start.getTime()));
              return usageEvent({ timestamp: new Date(ms) });
            }),
          { minLength: 1, maxLength: 10 },
        ),
      }),
    );
    fc.assert(
      fc.property(input$, ({ windows, late }) => {
        const groups = groupByPeriod(
          { window: new Map(), late: new Map([['bm_a', late]]) },
          { kind: 'invoice_window', window: MARCH, earlierWindows: windows },
        );
        expect(groups.flatMap((group) => group.events)).toHaveLength(late.length);
        for (const group of groups) {
          expect(group.kind).toBe('late_usage');
          expect(windows).toContainEqual(group.period);
          for (const event of group.events) {
            const holding = windows.filter((w) => event.timestamp >= w.start && event.timestamp < w.end);
            const latest = Math.max(...holding.map((w) => w.start.getTime()));
            expect(event.timestamp >= group.period.start && event.timestamp < group.period.end).toBe(true);
            expect(group.period.start.getTime()).toBe(latest);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
