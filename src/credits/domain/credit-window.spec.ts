import fc from 'fast-check';
import { creditWindowEnd, creditWindowsBetween, creditWindowStart } from './credit-window.js';

const NUM_RUNS = 300;
const DAY_MS = 24 * 3_600_000;
const at = (iso: string): Date => new Date(iso);
const iso = (date: Date): string => date.toISOString();
const isos = (dates: Date[]): string[] => dates.map(iso);

/** Months from the UTC month of `a` to the UTC month of `b`, counted independently of the module. */
const monthIndex = (date: Date): number => date.getUTCFullYear() * 12 + date.getUTCMonth();

describe('creditWindowStart', () => {
  it.each<[string, string, string]>([
    ['mid-month', '2026-03-15T13:45:12.345Z', '2026-03-01T00:00:00.000Z'],
    ['exactly at the start of the month', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['one ms after the start of the month', '2026-03-01T00:00:00.001Z', '2026-03-01T00:00:00.000Z'],
    ['the last ms of a 31-day month', '2026-01-31T23:59:59.999Z', '2026-01-01T00:00:00.000Z'],
    ['the last ms of a 30-day month', '2026-04-30T23:59:59.999Z', '2026-04-01T00:00:00.000Z'],
    ['Feb 29 of a leap year', '2024-02-29T12:00:00.000Z', '2024-02-01T00:00:00.000Z'],
    ['the last ms of Feb in a leap year', '2024-02-29T23:59:59.999Z', '2024-02-01T00:00:00.000Z'],
    ['the last ms of Feb in a common year', '2026-02-28T23:59:59.999Z', '2026-02-01T00:00:00.000Z'],
    ['the last ms of December', '2025-12-31T23:59:59.999Z', '2025-12-01T00:00:00.000Z'],
    ['the first instant of January', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
    [
      'a time written with a positive offset (UTC, not local)',
      '2026-03-01T00:30:00+01:00',
      '2026-02-01T00:00:00.000Z',
    ],
    [
      'a time written with a negative offset (UTC, not local)',
      '2026-02-28T20:00:00-05:00',
      '2026-03-01T00:00:00.000Z',
    ],
  ])('%s: %s → %s', (_name, input, expected) => {
    expect(iso(creditWindowStart(at(input)))).toBe(expected);
  });

  it('returns a new Date and leaves its argument alone', () => {
    const input = at('2026-03-15T13:45:12.345Z');
    const start = creditWindowStart(input);
    expect(start).not.toBe(input);
    expect(iso(input)).toBe('2026-03-15T13:45:12.345Z');
  });
});

describe('creditWindowEnd', () => {
  it.each<[string, string, string]>([
    ['January ends at February', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
    ['a 30-day month', '2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'],
    ['February of a leap year ends after Feb 29', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['February of a common year', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    [
      'December rolls over into January of the next year',
      '2025-12-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ],
  ])('%s: %s → %s', (_name, start, expected) => {
    expect(iso(creditWindowEnd(at(start)))).toBe(expected);
  });

  it.each<[string, number]>([
    ['2024-02-01T00:00:00Z', 29],
    ['2026-02-01T00:00:00Z', 28],
    ['2000-02-01T00:00:00Z', 29],
    ['2100-02-01T00:00:00Z', 28],
    ['2026-01-01T00:00:00Z', 31],
    ['2026-04-01T00:00:00Z', 30],
    ['2025-12-01T00:00:00Z', 31],
  ])('the window starting %s lasts %i days', (start, days) => {
    expect(creditWindowEnd(at(start)).getTime() - at(start).getTime()).toBe(days * DAY_MS);
  });
});

describe('creditWindowsBetween', () => {
  it('is the one window of an instant when from and to are the same', () => {
    const instant = at('2026-03-15T10:00:00Z');
    expect(isos(creditWindowsBetween(instant, instant))).toEqual(['2026-03-01T00:00:00.000Z']);
  });

  it('is empty when to is before from, even by one ms', () => {
    const from = at('2026-03-15T10:00:00Z');
    expect(creditWindowsBetween(from, new Date(from.getTime() - 1))).toEqual([]);
    expect(creditWindowsBetween(from, at('2026-01-01T00:00:00Z'))).toEqual([]);
  });

  it('includes the window of to when to is exactly its start (to is inclusive)', () => {
    expect(isos(creditWindowsBetween(at('2026-02-10T00:00:00Z'), at('2026-03-01T00:00:00Z')))).toEqual([
      '2026-02-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
  });

  it('stops at the window of to when to is one ms before the next window', () => {
    expect(isos(creditWindowsBetween(at('2026-02-10T00:00:00Z'), at('2026-02-28T23:59:59.999Z')))).toEqual([
      '2026-02-01T00:00:00.000Z',
    ]);
  });

  it('starts at the window of from even when from is its last ms', () => {
    expect(isos(creditWindowsBetween(at('2026-01-31T23:59:59.999Z'), at('2026-02-01T00:00:00Z')))).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
  });

  it('rolls over from December into January', () => {
    expect(isos(creditWindowsBetween(at('2025-12-31T23:00:00Z'), at('2026-01-01T01:00:00Z')))).toEqual([
      '2025-12-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ]);
  });

  it('walks through Feb 29 of a leap year', () => {
    expect(isos(creditWindowsBetween(at('2024-02-29T12:00:00Z'), at('2024-03-01T00:00:00Z')))).toEqual([
      '2024-02-01T00:00:00.000Z',
      '2024-03-01T00:00:00.000Z',
    ]);
  });

  it('lists the 12 months of a year in order', () => {
    const windows = creditWindowsBetween(at('2024-01-01T00:00:00Z'), at('2024-12-31T23:59:59.999Z'));
    expect(windows.map((w) => w.getUTCMonth())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(windows.every((w) => w.getUTCFullYear() === 2024 && w.getUTCDate() === 1)).toBe(true);
  });

  it('lists the months a mid-month span touches', () => {
    expect(isos(creditWindowsBetween(at('2025-11-15T00:00:00Z'), at('2026-02-14T00:00:00Z')))).toEqual([
      '2025-11-01T00:00:00.000Z',
      '2025-12-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
  });
});

describe('credit window properties', () => {
  const MIN = at('1970-01-01T00:00:00Z');
  const MAX = at('2200-12-31T23:59:59.999Z');
  const date$ = fc.date({ min: MIN, max: MAX, noInvalidDate: true });
  /** Instants near month boundaries, where off-by-one mistakes hide. */
  const boundary$ = fc
    .tuple(
      fc.integer({ min: 1971, max: 2200 }),
      fc.integer({ min: 0, max: 11 }),
      fc.integer({ min: -2, max: 2 }),
    )
    .map(([year, month, ms]) => new Date(Date.UTC(year, month, 1) + ms));
  const instant$ = fc.oneof(date$, boundary$);

  it('the window of an instant starts at 00:00Z on the 1st of its UTC month and contains it', () => {
    fc.assert(
      fc.property(instant$, (instant) => {
        const start = creditWindowStart(instant);
        const end = creditWindowEnd(start);
        expect(start.getUTCFullYear()).toBe(instant.getUTCFullYear());
        expect(start.getUTCMonth()).toBe(instant.getUTCMonth());
        expect(start.getUTCDate()).toBe(1);
        expect(start.getTime() % DAY_MS).toBe(0);
        expect(start.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(instant.getTime()).toBeLessThan(end.getTime());
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('windows are contiguous: a window ends where the next starts, 28 to 31 days later', () => {
    fc.assert(
      fc.property(instant$, (instant) => {
        const start = creditWindowStart(instant);
        const end = creditWindowEnd(start);
        expect(creditWindowStart(start).getTime()).toBe(start.getTime());
        expect(creditWindowStart(end).getTime()).toBe(end.getTime());
        expect(creditWindowStart(new Date(end.getTime() - 1)).getTime()).toBe(start.getTime());
        expect(monthIndex(end)).toBe(monthIndex(start) + 1);
        expect([28, 29, 30, 31]).toContain((end.getTime() - start.getTime()) / DAY_MS);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('between lists every month from the window of from to the window of to, each once, in order', () => {
    const span$ = fc.tuple(instant$, fc.integer({ min: 0, max: 800 * DAY_MS })).map(([from, ms]) => ({
      from,
      to: new Date(Math.min(from.getTime() + ms, MAX.getTime())),
    }));
    fc.assert(
      fc.property(span$, ({ from, to }) => {
        const windows = creditWindowsBetween(from, to);
        expect(windows).toHaveLength(monthIndex(to) - monthIndex(from) + 1);
        expect(windows[0].getTime()).toBe(creditWindowStart(from).getTime());
        expect(windows.at(-1)!.getTime()).toBe(creditWindowStart(to).getTime());
        for (let i = 1; i < windows.length; i++) {
          expect(windows[i].getTime()).toBe(creditWindowEnd(windows[i - 1]).getTime());
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('every instant in [from, to] falls in exactly one listed window', () => {
    const case$ = fc
      .tuple(instant$, fc.integer({ min: 0, max: 200 * DAY_MS }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([from, ms, fraction]) => ({
        from,
        to: new Date(from.getTime() + ms),
        probe: new Date(from.getTime() + Math.round(ms * fraction)),
      }));
    fc.assert(
      fc.property(case$, ({ from, to, probe }) => {
        const containing = creditWindowsBetween(from, to).filter(
          (w) => w.getTime() <= probe.getTime() && probe.getTime() < creditWindowEnd(w).getTime(),
        );
        expect(containing).toHaveLength(1);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is empty whenever to is before from', () => {
    fc.assert(
      fc.property(instant$, fc.integer({ min: 1, max: 400 * DAY_MS }), (from, ms) => {
        expect(creditWindowsBetween(from, new Date(from.getTime() - ms))).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
