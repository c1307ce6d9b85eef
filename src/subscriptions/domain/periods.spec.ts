import fc from 'fast-check';
import {
  addMonthsClamped,
  INTERVALS,
  periodAt,
  periodContaining,
  periodStart,
  type Interval,
} from './periods.js';

const NUM_RUNS = 300;
const at = (iso: string): Date => new Date(iso);
const iso = (date: Date): string => date.toISOString();

/** The test's own calendar: Gregorian month lengths, independent of `Date`. */
const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (year: number, monthIndex: number): number =>
  monthIndex === 1 && isLeapYear(year) ? 29 : MONTH_DAYS[monthIndex];
const msOfDay = (date: Date): number =>
  date.getTime() - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());

interface Case {
  name: string;
  anchor: string;
  interval: Interval;
  count: number;
  /** Expected period starts by index. */
  starts: Record<number, string>;
}

const CASES: Case[] = [
  {
    name: 'monthly from Jan 31 clamps to each month’s last day and recovers',
    anchor: '2026-01-31T00:00:00.000Z',
    interval: 'month',
    count: 1,
    starts: {
      0: '2026-01-31T00:00:00.000Z',
      1: '2026-02-28T00:00:00.000Z',
      2: '2026-03-31T00:00:00.000Z',
      3: '2026-04-30T00:00:00.000Z',
      4: '2026-05-31T00:00:00.000Z',
      5: '2026-06-30T00:00:00.000Z',
      11: '2026-12-31T00:00:00.000Z',
      12: '2027-01-31T00:00:00.000Z',
      13: '2027-02-28T00:00:00.000Z',
    },
  },
  {
    name: 'monthly from Jan 31 of a leap year reaches Feb 29',
    anchor: '2028-01-31T00:00:00.000Z',
    interval: 'month',
    count: 1,
    starts: {
      1: '2028-02-29T00:00:00.000Z',
      2: '2028-03-31T00:00:00.000Z',
      13: '2029-02-28T00:00:00.000Z',
    },
  },
  {
    name: 'monthly from Jan 30 goes back to the 30th after February',
    anchor: '2026-01-30T00:00:00.000Z',
    interval: 'month',
    count: 1,
    starts: {
      1: '2026-02-28T00:00:00.000Z',
      2: '2026-03-30T00:00:00.000Z',
      3: '2026-04-30T00:00:00.000Z',
    },
  },
  {
    name: 'monthly from the 15th keeps the time of day',
    anchor: '2026-01-15T13:45:30.250Z',
    interval: 'month',
    count: 1,
    starts: {
      0: '2026-01-15T13:45:30.250Z',
      1: '2026-02-15T13:45:30.250Z',
      11: '2026-12-15T13:45:30.250Z',
      12: '2027-01-15T13:45:30.250Z',
      25: '2028-02-15T13:45:30.250Z',
    },
  },
  {
    name: 'monthly from Nov 30 crosses the year into February',
    anchor: '2026-11-30T08:00:00.000Z',
    interval: 'month',
    count: 1,
    starts: {
      1: '2026-12-30T08:00:00.000Z',
      2: '2027-01-30T08:00:00.000Z',
      3: '2027-02-28T08:00:00.000Z',
      4: '2027-03-30T08:00:00.000Z',
    },
  },
  {
    name: 'quarterly (3 months) from Jan 31',
    anchor: '2026-01-31T00:00:00.000Z',
    interval: 'month',
    count: 3,
    starts: {
      1: '2026-04-30T00:00:00.000Z',
      2: '2026-07-31T00:00:00.000Z',
      3: '2026-10-31T00:00:00.000Z',
      4: '2027-01-31T00:00:00.000Z',
    },
  },
  {
    name: 'quarterly from Nov 30 lands on Feb 28, then May 30',
    anchor: '2025-11-30T00:00:00.000Z',
    interval: 'month',
    count: 3,
    starts: {
      1: '2026-02-28T00:00:00.000Z',
      2: '2026-05-30T00:00:00.000Z',
      4: '2026-11-30T00:00:00.000Z',
    },
  },
  {
    name: 'yearly from Feb 29 clamps in common years and returns in leap years',
    anchor: '2028-02-29T06:30:00.000Z',
    interval: 'year',
    count: 1,
    starts: {
      1: '2029-02-28T06:30:00.000Z',
      2: '2030-02-28T06:30:00.000Z',
      3: '2031-02-28T06:30:00.000Z',
      4: '2032-02-29T06:30:00.000Z',
      72: '2100-02-28T06:30:00.000Z',
      372: '2400-02-29T06:30:00.000Z',
    },
  },
  {
    name: 'every 2 years from Feb 29',
    anchor: '2028-02-29T00:00:00.000Z',
    interval: 'year',
    count: 2,
    starts: {
      1: '2030-02-28T00:00:00.000Z',
      2: '2032-02-29T00:00:00.000Z',
    },
  },
  {
    name: 'daily is plain 24 h steps, across Feb 29 and the US/EU DST changes',
    anchor: '2028-02-28T23:30:00.000Z',
    interval: 'day',
    count: 1,
    starts: {
      1: '2028-02-29T23:30:00.000Z',
      2: '2028-03-01T23:30:00.000Z',
      11: '2028-03-10T23:30:00.000Z',
      30: '2028-03-29T23:30:00.000Z',
      366: '2029-02-28T23:30:00.000Z',
    },
  },
  {
    name: 'every 10 days',
    anchor: '2026-03-07T12:00:00.000Z',
    interval: 'day',
    count: 10,
    starts: {
      1: '2026-03-17T12:00:00.000Z',
      3: '2026-04-06T12:00:00.000Z',
    },
  },
  {
    name: 'weekly across the EU DST change (2026-03-29)',
    anchor: '2026-03-25T00:30:00.000Z',
    interval: 'week',
    count: 1,
    starts: {
      1: '2026-04-01T00:30:00.000Z',
      2: '2026-04-08T00:30:00.000Z',
    },
  },
  {
    name: 'every 2 weeks across the year end',
    anchor: '2026-12-20T00:00:00.000Z',
    interval: 'week',
    count: 2,
    starts: {
      1: '2027-01-03T00:00:00.000Z',
      3: '2027-01-31T00:00:00.000Z',
    },
  },
];

const STARTS = CASES.flatMap(({ name, anchor, interval, count, starts }) =>
  Object.entries(starts).map(([index, expected]) => ({
    name,
    anchor,
    interval,
    count,
    index: Number(index),
    expected,
  })),
);

describe('periodStart', () => {
  it.each(STARTS)('$name: period $index starts $expected', ({ anchor, interval, count, index, expected }) => {
    expect(iso(periodStart(at(anchor), interval, count, index))).toBe(expected);
  });

  it('does not mutate the anchor', () => {
    const anchor = at('2026-01-31T00:00:00.000Z');
    periodStart(anchor, 'month', 1, 1);
    periodStart(anchor, 'day', 1, 1);
    expect(iso(anchor)).toBe('2026-01-31T00:00:00.000Z');
  });
});

describe('addMonthsClamped', () => {
  it.each([
    ['2026-01-31T00:00:00.000Z', 1, '2026-02-28T00:00:00.000Z'],
    ['2026-01-31T00:00:00.000Z', 2, '2026-03-31T00:00:00.000Z'],
    ['2024-01-31T00:00:00.000Z', 1, '2024-02-29T00:00:00.000Z'],
    ['2026-05-31T23:59:59.999Z', 1, '2026-06-30T23:59:59.999Z'],
    ['2026-12-31T00:00:00.000Z', 2, '2027-02-28T00:00:00.000Z'],
    ['2026-01-15T00:00:00.000Z', 0, '2026-01-15T00:00:00.000Z'],
    ['2026-01-15T00:00:00.000Z', 24, '2028-01-15T00:00:00.000Z'],
  ])('%s + %i months → %s', (anchor, months, expected) => {
    expect(iso(addMonthsClamped(at(anchor), months))).toBe(expected);
  });
});

describe('periodAt', () => {
  it('is [the period start, the next period start)', () => {
    expect(periodAt(at('2026-01-31T00:00:00.000Z'), 'month', 1, 1)).toEqual({
      index: 1,
      start: at('2026-02-28T00:00:00.000Z'),
      end: at('2026-03-31T00:00:00.000Z'),
    });
    expect(periodAt(at('2026-01-15T13:45:30.250Z'), 'month', 3, 0)).toEqual({
      index: 0,
      start: at('2026-01-15T13:45:30.250Z'),
      end: at('2026-04-15T13:45:30.250Z'),
    });
    expect(periodAt(at('2026-03-25T00:30:00.000Z'), 'week', 2, 2)).toEqual({
      index: 2,
      start: at('2026-04-22T00:30:00.000Z'),
      end: at('2026-05-06T00:30:00.000Z'),
    });
  });
});

describe('periodContaining', () => {
  const anchor = at('2026-01-31T00:00:00.000Z');

  it.each([
    ['long before the anchor', '2020-06-01T00:00:00.000Z', 0],
    ['1 ms before the anchor', '2026-01-30T23:59:59.999Z', 0],
    ['at the anchor', '2026-01-31T00:00:00.000Z', 0],
    ['1 ms before the first boundary', '2026-02-27T23:59:59.999Z', 0],
    ['on the first boundary', '2026-02-28T00:00:00.000Z', 1],
    ['inside the clamped February period, on Mar 30', '2026-03-30T12:00:00.000Z', 1],
    ['on the March boundary', '2026-03-31T00:00:00.000Z', 2],
    ['ten years later', '2036-02-29T00:00:00.000Z', 121],
    ['ten years later, 1 ms before the boundary', '2036-02-28T23:59:59.999Z', 120],
  ])('monthly from Jan 31, %s (%s) → period %i', (_name, when, index) => {
    expect(periodContaining(anchor, 'month', 1, at(when))).toEqual(periodAt(anchor, 'month', 1, index));
  });

  it('finds day and year periods', () => {
    const daily = at('2026-03-07T12:00:00.000Z');
    expect(periodContaining(daily, 'day', 1, at('2026-03-08T11:59:59.999Z')).index).toBe(0);
    expect(periodContaining(daily, 'day', 1, at('2026-03-08T12:00:00.000Z')).index).toBe(1);
    expect(periodContaining(daily, 'day', 7, at('2026-04-30T00:00:00.000Z')).index).toBe(7);
    const leap = at('2028-02-29T00:00:00.000Z');
    expect(periodContaining(leap, 'year', 1, at('2029-02-28T00:00:00.000Z')).index).toBe(1);
    expect(periodContaining(leap, 'year', 1, at('2029-02-27T23:59:59.999Z')).index).toBe(0);
    expect(periodContaining(leap, 'year', 1, at('2032-02-29T00:00:00.000Z')).index).toBe(4);
    expect(periodContaining(leap, 'year', 1, at('2032-02-28T23:59:59.999Z')).index).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const MIN_MS = Date.UTC(1970, 0, 1);
const MAX_MS = Date.UTC(2400, 11, 31, 23, 59, 59, 999);
const DAY_MS = 86_400_000;

/** Anchors in 1970–2400, often on the 28th–31st, where clamping happens. */
const anchor$: fc.Arbitrary<Date> = fc.oneof(
  fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => new Date(ms)),
  fc
    .record({
      year: fc.integer({ min: 1970, max: 2400 }),
      month: fc.integer({ min: 0, max: 11 }),
      day: fc.integer({ min: 28, max: 31 }),
      ms: fc.integer({ min: 0, max: DAY_MS - 1 }),
    })
    .map(
      ({ year, month, day, ms }) => new Date(Date.UTC(year, month, Math.min(day, daysIn(year, month))) + ms),
    ),
);
const interval$ = fc.constantFrom(...INTERVALS);
const count$ = fc.integer({ min: 1, max: 12 });
const index$ = fc.integer({ min: 0, max: 200 });

describe('period properties', () => {
  it('periods are contiguous and strictly increasing', () => {
    fc.assert(
      fc.property(anchor$, interval$, count$, index$, (anchor, interval, count, index) => {
        const period = periodAt(anchor, interval, count, index);
        const next = periodAt(anchor, interval, count, index + 1);
        expect(period.index).toBe(index);
        expect(next.start.getTime()).toBe(period.end.getTime());
        expect(period.start.getTime()).toBeLessThan(period.end.getTime());
        expect(period.start.getTime()).toBeGreaterThanOrEqual(anchor.getTime());
        expect(periodStart(anchor, interval, count, index).getTime()).toBe(period.start.getTime());
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('period 0 starts at the anchor', () => {
    fc.assert(
      fc.property(anchor$, interval$, count$, (anchor, interval, count) => {
        expect(periodStart(anchor, interval, count, 0).getTime()).toBe(anchor.getTime());
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('month and year periods start on min(anchor day, days in that month), at the anchor’s time', () => {
    fc.assert(
      fc.property(
        anchor$,
        fc.constantFrom<Interval>('month', 'year'),
        count$,
        index$,
        (anchor, interval, count, index) => {
          const start = periodStart(anchor, interval, count, index);
          const months = anchor.getUTCMonth() + index * count * (interval === 'year' ? 12 : 1);
          const year = anchor.getUTCFullYear() + Math.floor(months / 12);
          const month = months % 12;
          expect(start.getUTCFullYear()).toBe(year);
          expect(start.getUTCMonth()).toBe(month);
          expect(start.getUTCDate()).toBe(Math.min(anchor.getUTCDate(), daysIn(year, month)));
          expect(msOfDay(start)).toBe(msOfDay(anchor));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('day and week periods are exact multiples of 24 h after the anchor', () => {
    fc.assert(
      fc.property(
        anchor$,
        fc.constantFrom<Interval>('day', 'week'),
        count$,
        index$,
        (anchor, interval, count, index) => {
          const days = index * count * (interval === 'week' ? 7 : 1);
          expect(periodStart(anchor, interval, count, index).getTime() - anchor.getTime()).toBe(
            days * DAY_MS,
          );
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('periodContaining returns the period with start ≤ at < end for any `at` after the anchor', () => {
    fc.assert(
      fc.property(
        anchor$,
        interval$,
        count$,
        // Up to ~201 periods of the longest kind (12 years) after the anchor.
        fc.integer({ min: 1, max: 201 * 12 * 366 * DAY_MS }),
        (anchor, interval, count, offset) => {
          const when = new Date(anchor.getTime() + offset);
          const period = periodContaining(anchor, interval, count, when);
          expect(period.start.getTime()).toBeLessThanOrEqual(when.getTime());
          expect(when.getTime()).toBeLessThan(period.end.getTime());
          expect(period).toEqual(periodAt(anchor, interval, count, period.index));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('periodContaining finds period n for any instant inside it', () => {
    fc.assert(
      fc.property(
        anchor$,
        interval$,
        count$,
        index$,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (anchor, interval, count, index, fraction) => {
          const { start, end } = periodAt(anchor, interval, count, index);
          const when = new Date(start.getTime() + Math.floor(fraction * (end.getTime() - start.getTime())));
          expect(periodContaining(anchor, interval, count, when).index).toBe(index);
          expect(periodContaining(anchor, interval, count, start).index).toBe(index);
          expect(periodContaining(anchor, interval, count, new Date(end.getTime() - 1)).index).toBe(index);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('periodContaining returns period 0 for `at` at or before the anchor', () => {
    fc.assert(
      fc.property(
        anchor$,
        interval$,
        count$,
        fc.integer({ min: 0, max: 500 * 366 * DAY_MS }),
        (anchor, interval, count, before) => {
          const when = new Date(anchor.getTime() - before);
          expect(periodContaining(anchor, interval, count, when)).toEqual(
            periodAt(anchor, interval, count, 0),
          );
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
