import fc from 'fast-check';
import { minorUnitDigits } from '../../common/money/currency.js';
import { decimalText, ExactDecimal } from '../../common/money/decimal.js';
import { billedQuantity, type PricedMetric } from '../../invoicing/domain/invoice-lines.js';
import type { Aggregation } from '../../metering/domain/aggregation.js';
import { perUnit, type Price, type PriceBounds } from '../../metering/domain/price.js';
import { rate } from '../../metering/domain/rating.js';
import type { UsageEvent } from '../../usage/domain/bucket.js';
import { creditWindowStart } from './credit-window.js';
import { windowShares, type WindowedLine } from './window-shares.js';
import { priceTiers$, decimal$ } from '../../../test/support/prices.js';

const at = (iso: string): Date => new Date(iso);
const month = (iso: string): number => at(iso).getTime();
const MARCH = month('2026-03-01T00:00:00Z');
const APRIL = month('2026-04-01T00:00:00Z');
const FEBRUARY = month('2026-02-01T00:00:00Z');

function usageEvent(timestamp: string, overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    timestamp: at(timestamp),
    value: null,
    uniqueValue: null,
    startTime: null,
    endTime: null,
    markupPercentage: null,
    ...overrides,
  };
}
const valued = (timestamp: string, value: string) => usageEvent(timestamp, { value });

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

function line(overrides: Partial<WindowedLine> = {}): WindowedLine {
  return {
    metric: metric(),
    periodStart: at('2026-03-01T00:00:00Z'),
    periodEnd: at('2026-04-01T00:00:00Z'),
    events: [],
    amount: '0.00',
    ...overrides,
  };
}

/** A line over [start, end) billing all of `events` at its metric's price, as a period's first line. */
function pricedLine(
  priced: PricedMetric,
  start: string,
  end: string,
  events: UsageEvent[],
  currency = 'usd',
) {
  return line({
    metric: priced,
    periodStart: at(start),
    periodEnd: at(end),
    events,
    amount: rate(billedQuantity(priced, events), priced.price, currency),
  });
}

/** The shares as [window start ISO, decimal text], oldest first. */
const shown = (shares: Map<number, ExactDecimal>) =>
  [...shares]
    .sort(([a], [b]) => a - b)
    .map(([window, share]) => [new Date(window).toISOString(), decimalText(share)]);

const sumOf = (values: Iterable<ExactDecimal | string>) =>
  [...values].reduce<ExactDecimal>((sum, value) => sum.plus(value), new ExactDecimal(0));

const NO_BOUNDS: PriceBounds = { minimumAmount: null, maximumAmount: null };
/** 0–1,000 at 0.002, then 0.001. */
const ALLOTMENT: Price = {
  model: 'graduated',
  tiers: [
    { upTo: '1000', unitAmount: '0.002', flatAmount: '0' },
    { upTo: null, unitAmount: '0.001', flatAmount: '0' },
  ],
  ...NO_BOUNDS,
};

describe('windowShares', () => {
  it('is empty for no lines', () => {
    expect(windowShares([], 'usd').size).toBe(0);
  });

  it('keys each share by the start of its UTC month, in epoch milliseconds', () => {
    const shares = windowShares(
      [
        line({
          periodStart: at('2026-03-10T00:00:00+05:00'),
          periodEnd: at('2026-03-20T00:00:00Z'),
          amount: '1.00',
        }),
      ],
      'usd',
    );
    expect([...shares.keys()]).toEqual([Date.UTC(2026, 2, 1)]);
    expect(creditWindowStart(new Date([...shares.keys()][0])).getTime()).toBe(MARCH);
  });

  describe('a line within one month', () => {
    it.each([
      ['the whole month, its end exclusive', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'],
      ['part of the month', '2026-03-10T12:00:00Z', '2026-03-20T00:00:00Z'],
      ['up to the last millisecond of the month', '2026-03-31T23:59:59.999Z', '2026-04-01T00:00:00Z'],
    ])('goes whole to it: %s', (_name, start, end) => {
      const shares = windowShares(
        [line({ periodStart: at(start), periodEnd: at(end), amount: '12.34', events: [valued(start, '5')] })],
        'usd',
      );
      expect(shown(shares)).toEqual([['2026-03-01T00:00:00.000Z', '12.34']]);
    });

    it('is its amount as billed, whatever its events cost alone (a later line of the period bills a difference)', () => {
      const events = [valued('2026-03-05T00:00:00Z', '1500')];
      const shares = windowShares(
        [
          line({ metric: metric({ price: ALLOTMENT }), events, amount: '0.50' }),
          line({ metric: metric({ id: 'bm_2' }), events: [], amount: '-0.20' }),
        ],
        'usd',
      );
      expect(shown(shares)).toEqual([['2026-03-01T00:00:00.000Z', '0.3']]);
    });

    it('adds up the lines of each month', () => {
      const shares = windowShares(
        [
          line({ amount: '1.50' }),
          line({
            periodStart: at('2026-04-01T00:00:00Z'),
            periodEnd: at('2026-05-01T00:00:00Z'),
            amount: '2.25',
          }),
          line({ metric: metric({ id: 'bm_2' }), amount: '0.75' }),
          line({
            periodStart: at('2026-02-01T00:00:00Z'),
            periodEnd: at('2026-03-01T00:00:00Z'),
            amount: '0',
          }),
        ],
        'usd',
      );
      expect(shown(shares)).toEqual([
        ['2026-02-01T00:00:00.000Z', '0'],
        ['2026-03-01T00:00:00.000Z', '2.25'],
        ['2026-04-01T00:00:00.000Z', '2.25'],
      ]);
    });
  });

  describe('a line spanning months', () => {
    it('is split by what its usage up to each month costs, per unit', () => {
      const events = [
        valued('2026-03-15T00:00:00Z', '60'),
        valued('2026-03-20T00:00:00Z', '40'),
        valued('2026-04-02T00:00:00Z', '50'),
      ];
      const priced = pricedLine(metric(), '2026-03-15T00:00:00Z', '2026-04-15T00:00:00Z', events);
      expect(priced.amount).toBe('1.50');
      expect(shown(windowShares([priced], 'usd'))).toEqual([
        ['2026-03-01T00:00:00.000Z', '1'],
        ['2026-04-01T00:00:00.000Z', '0.5'],
      ]);
    });

    it('is split by cumulative price on graduated tiers: later usage at the tier it reaches', () => {
      const events = [valued('2026-03-20T00:00:00Z', '1200'), valued('2026-04-10T00:00:00Z', '300')];
      const priced = pricedLine(
        metric({ price: ALLOTMENT }),
        '2026-03-15T00:00:00Z',
        '2026-04-15T00:00:00Z',
        events,
      );
      // 1,200 cost 2.00 + 0.20; 1,500 cost 2.50: April's 300 are at 0.001.
      expect(priced.amount).toBe('2.50');
      expect(shown(windowShares([priced], 'usd'))).toEqual([
        ['2026-03-01T00:00:00.000Z', '2.2'],
        ['2026-04-01T00:00:00.000Z', '0.3'],
      ]);
    });

    it('splits over three months, in time order whatever the order of its events', () => {
      const events = [
        valued('2026-04-01T00:00:00Z', '300'),
        valued('2026-02-20T00:00:00Z', '500'),
        valued('2026-03-31T23:59:59.999Z', '700'),
      ];
      const priced = pricedLine(
        metric({ price: ALLOTMENT }),
        '2026-02-15T00:00:00Z',
        '2026-04-15T00:00:00Z',
        events,
      );
      expect(shown(windowShares([priced], 'usd'))).toEqual([
        ['2026-02-01T00:00:00.000Z', '1'],
        ['2026-03-01T00:00:00.000Z', '1.2'],
        ['2026-04-01T00:00:00.000Z', '0.3'],
      ]);
    });

    it('bills a distinct value to the first month it was seen in', () => {
      const events = ['alice', 'bob'].map((user) =>
        usageEvent('2026-03-20T00:00:00Z', { uniqueValue: user }),
      );
      events.push(
        ...['bob', 'carol'].map((user) => usageEvent('2026-04-05T00:00:00Z', { uniqueValue: user })),
      );
      const priced = pricedLine(
        metric({ aggregation: 'count_unique', price: perUnit('1') }),
        '2026-03-15T00:00:00Z',
        '2026-04-15T00:00:00Z',
        events,
      );
      expect(priced.amount).toBe('3.00');
      expect(shown(windowShares([priced], 'usd'))).toEqual([
        ['2026-03-01T00:00:00.000Z', '2'],
        ['2026-04-01T00:00:00.000Z', '1'],
      ]);
    });

    it('rounds each cumulative price once, so the shares are in minor units', () => {
      // 5 at 0.001 is 0.005, 0.01; 10 is 0.01; 15 is 0.015, 0.02.
      const events = [
        valued('2026-02-20T00:00:00Z', '5'),
        valued('2026-03-20T00:00:00Z', '5'),
        valued('2026-04-02T00:00:00Z', '5'),
      ];
      const priced = pricedLine(
        metric({ price: perUnit('0.001') }),
        '2026-02-15T00:00:00Z',
        '2026-04-15T00:00:00Z',
        events,
      );
      expect(shown(windowShares([priced], 'usd'))).toEqual([
        ['2026-02-01T00:00:00.000Z', '0.01'],
        ['2026-03-01T00:00:00.000Z', '0'],
        ['2026-04-01T00:00:00.000Z', '0.01'],
      ]);
    });

    it('goes whole to the one month its events fall in', () => {
      const events = [valued('2026-04-02T00:00:00Z', '50'), valued('2026-04-10T00:00:00Z', '25')];
      const priced = pricedLine(metric(), '2026-03-15T00:00:00Z', '2026-04-15T00:00:00Z', events);
      expect(shown(windowShares([priced], 'usd'))).toEqual([['2026-04-01T00:00:00.000Z', '0.75']]);
    });

    it('gives the last month the rest of the line, so the shares sum to its amount', () => {
      const events = [valued('2026-03-20T00:00:00Z', '100'), valued('2026-04-10T00:00:00Z', '100')];
      const shares = windowShares(
        [
          line({
            periodStart: at('2026-03-15T00:00:00Z'),
            periodEnd: at('2026-04-15T00:00:00Z'),
            events,
            amount: '2.50',
          }),
        ],
        'usd',
      );
      expect(shown(shares)).toEqual([
        ['2026-03-01T00:00:00.000Z', '1'],
        ['2026-04-01T00:00:00.000Z', '1.5'],
      ]);
    });

    it('adds to the shares of lines within one month', () => {
      const spanning = pricedLine(metric({ id: 'bm_2' }), '2026-03-15T00:00:00Z', '2026-04-15T00:00:00Z', [
        valued('2026-03-20T00:00:00Z', '100'),
        valued('2026-04-10T00:00:00Z', '30'),
      ]);
      const shares = windowShares([line({ amount: '5.00' }), spanning], 'usd');
      expect(shares.get(MARCH)!.toFixed()).toBe('6');
      expect(shares.get(APRIL)!.toFixed()).toBe('0.3');
      expect(shares.has(FEBRUARY)).toBe(false);
    });

    it('prices at the currency of the invoice', () => {
      const events = [valued('2026-03-20T00:00:00Z', '5'), valued('2026-04-10T00:00:00Z', '5')];
      const priced = pricedLine(
        metric({ price: perUnit('0.5') }),
        '2026-03-15T00:00:00Z',
        '2026-04-15T00:00:00Z',
        events,
        'jpy',
      );
      // 2.5 yen rounds to 3; 5 yen in all.
      expect(shown(windowShares([priced], 'jpy'))).toEqual([
        ['2026-03-01T00:00:00.000Z', '3'],
        ['2026-04-01T00:00:00.000Z', '2'],
      ]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const DAY = 86_400_000;
const BASE = Date.parse('2026-01-01T00:00:00Z');

const step$ = fc.oneof(fc.integer({ min: 1, max: 6 }).map(String), decimal$(50_000n, 2, 1n));
const tiers$ = priceTiers$(step$);
const price$: fc.Arbitrary<Price> = fc.oneof(
  decimal$(10n ** 6n, 6).map((unitAmount) => perUnit(unitAmount)),
  tiers$.map((tiers): Price => ({ model: 'graduated', tiers, ...NO_BOUNDS })),
  tiers$.map((tiers): Price => ({ model: 'volume', tiers, ...NO_BOUNDS })),
  fc
    .tuple(step$, decimal$(10n ** 5n, 2), fc.constantFrom<'up' | 'down'>('up', 'down'))
    .map(([packageSize, packageAmount, rounding]): Price => ({
      model: 'package',
      packageSize,
      packageAmount,
      rounding,
      ...NO_BOUNDS,
    })),
);

/** A line over [start, start + days) with events in it, billed at its price or at another amount (a difference). */
const line$ = (currency: string): fc.Arbitrary<WindowedLine> =>
  fc
    .record({
      startDay: fc.integer({ min: 0, max: 200 }),
      days: fc.integer({ min: 1, max: 70 }),
      aggregation: fc.constantFrom<Aggregation>('sum', 'count', 'count_unique'),
      price: price$,
      events: fc.array(
        fc.record({
          at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          value: decimal$(10n ** 5n, 3),
          uniqueValue: fc.option(fc.constantFrom('u1', 'u2', 'u3', 'u4'), { nil: null }),
        }),
        { minLength: 1, maxLength: 10 },
      ),
      difference: fc.option(fc.bigInt({ min: -100_000n, max: 100_000n }), { nil: null }),
    })
    .map(({ startDay, days, aggregation, price, events, difference }) => {
      const start = BASE + startDay * DAY;
      const end = start + days * DAY;
      const priced = metric({ aggregation, price });
      const usage = events.map((event) =>
        usageEvent(new Date(start + Math.floor(event.at * (end - start))).toISOString(), {
          value: event.value,
          uniqueValue: event.uniqueValue,
        }),
      );
      const amount =
        difference === null
          ? rate(billedQuantity(priced, usage), price, currency)
          : new ExactDecimal(difference.toString())
              .div(new ExactDecimal(10).pow(minorUnitDigits(currency)))
              .toFixed(minorUnitDigits(currency));
      return {
        metric: priced,
        periodStart: new Date(start),
        periodEnd: new Date(end),
        events: usage,
        amount,
      };
    });

const input$ = fc
  .constantFrom('usd', 'jpy', 'kwd')
  .chain((currency) =>
    fc.record({ currency: fc.constant(currency), lines: fc.array(line$(currency), { maxLength: 6 }) }),
  );

const monthOf = (date: Date) => creditWindowStart(date).getTime();
const spans = (l: WindowedLine) => monthOf(l.periodStart) !== monthOf(new Date(l.periodEnd.getTime() - 1));

describe('window share properties', () => {
  it('the shares sum exactly to the lines, in minor units, keyed by the months the lines bill', () => {
    fc.assert(
      fc.property(input$, ({ currency, lines }) => {
        const shares = windowShares(lines, currency);
        expect(sumOf(shares.values()).eq(sumOf(lines.map((l) => l.amount)))).toBe(true);
        const digits = minorUnitDigits(currency);
        const months = new Set(
          lines.flatMap((l) =>
            spans(l) ? l.events.map((event) => monthOf(event.timestamp)) : [monthOf(l.periodStart)],
          ),
        );
        expect(new Set(shares.keys())).toEqual(months);
        for (const [window, share] of shares) {
          expect(monthOf(new Date(window))).toBe(window);
          expect(share.decimalPlaces()).toBeLessThanOrEqual(digits);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("each line's shares sum to its amount, a line within one month being that month's whole", () => {
    fc.assert(
      fc.property(input$, ({ currency, lines }) => {
        for (const l of lines) {
          const shares = windowShares([l], currency);
          expect(sumOf(shares.values()).eq(l.amount)).toBe(true);
          if (!spans(l)) expect([...shares]).toEqual([[monthOf(l.periodStart), new ExactDecimal(l.amount)]]);
        }
        // Lines add up: the shares of all are the sums of the shares of each.
        const together = windowShares(lines, currency);
        const apart = new Map<number, ExactDecimal>();
        for (const l of lines) {
          for (const [window, share] of windowShares([l], currency)) {
            apart.set(window, (apart.get(window) ?? new ExactDecimal(0)).plus(share));
          }
        }
        expect([...together.keys()].sort()).toEqual([...apart.keys()].sort());
        for (const [window, share] of together) expect(share.eq(apart.get(window)!)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a spanning line priced at its whole usage gives each month the price its usage adds', () => {
    fc.assert(
      fc.property(input$, ({ currency, lines }) => {
        for (const l of lines.filter(spans)) {
          const priced = { ...l, amount: rate(billedQuantity(l.metric, l.events), l.metric.price, currency) };
          const shares = windowShares([priced], currency);
          let before = new ExactDecimal(0);
          for (const window of [...shares.keys()].sort((a, b) => a - b)) {
            const upTo = l.events.filter((event) => monthOf(event.timestamp) <= window);
            const cumulative = new ExactDecimal(
              rate(billedQuantity(l.metric, upTo), l.metric.price, currency),
            );
            expect(shares.get(window)!.eq(cumulative.minus(before))).toBe(true);
            // Only a volume price costs less for more usage.
            if (l.metric.price.model !== 'volume') expect(shares.get(window)!.isNegative()).toBe(false);
            before = cumulative;
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
