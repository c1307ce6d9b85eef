import fc from 'fast-check';
import { priceFromJson } from '../../metering/domain/price.js';
import { rate } from '../../metering/domain/rating.js';
import type { BucketState, UsageEvent } from './bucket.js';
import { foldEvents } from './bucket.js';
import { hourlyUsageByMetric, periodShares, seriesOf, totalOf, windowTotalsByMetric } from './report.js';
import { reportWindow, splitWindow } from './report-window.js';

const HOUR = 3_600_000;
const START = new Date('2026-03-01T00:00:00Z');
const END = new Date('2026-03-03T00:00:00Z');

const event$ = fc.record({
  metricId: fc.constantFrom('a', 'b'),
  timestamp: fc.integer({ min: -6, max: 54 }).map((h) => new Date(START.getTime() + h * HOUR + 1000)),
  value: fc.option(fc.integer({ min: -50, max: 50 }).map(String), { nil: null }),
  uniqueValue: fc.option(fc.constantFrom('u1', 'u2', 'u3'), { nil: null }),
  startTime: fc.constant(null),
  endTime: fc.constant(null),
  markupPercentage: fc.constant(null),
}) as fc.Arbitrary<UsageEvent & { metricId: string }>;

describe('report assembly', () => {
  it('totals in one pass equal the totals of the hourly usage, for any split into stored buckets and tail', () => {
    fc.assert(
      fc.property(fc.array(event$, { maxLength: 40 }), fc.nat(), (events, cut) => {
        const split = events.length === 0 ? 0 : cut % (events.length + 1);
        const stored = events.slice(0, split);
        const buckets = [...new Set(stored.map((e) => e.metricId))].flatMap((metricId) =>
          [...foldEvents(stored.filter((e) => e.metricId === metricId))]
            .filter(([hour]) => hour >= START.getTime() && hour < END.getTime())
            .map(([hour, state]) => ({ metricId, hour: new Date(hour), state })),
        );
        const tail = events.slice(split);
        const hourly = hourlyUsageByMetric(buckets, tail, START, END);
        const totals = windowTotalsByMetric(buckets, tail, START, END);
        for (const metricId of ['a', 'b']) {
          expect(totals.get(metricId) ?? totalOf(undefined)).toEqual(totalOf(hourly.get(metricId)));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('lists every period of a series, empty ones too, clipped to the window', () => {
    const hours = hourlyUsageByMetric(
      [],
      [
        {
          metricId: 'a',
          timestamp: new Date('2026-03-01T05:10:00Z'),
          value: '2',
          uniqueValue: null,
          startTime: null,
          endTime: null,
          markupPercentage: null,
        },
      ],
      START,
      END,
    ).get('a');
    const days = seriesOf(hours, START, END, 'day');
    expect(days.map((d) => [d.start.toISOString(), d.state.count])).toEqual([
      ['2026-03-01T00:00:00.000Z', 1],
      ['2026-03-02T00:00:00.000Z', 0],
    ]);
    expect(seriesOf(hours, START, END, 'hour')).toHaveLength(48);
  });
});

describe('reportWindow', () => {
  const now = new Date('2026-11-24T18:53:12Z');

  it('defaults to the current UTC month up to now', () => {
    expect(reportWindow({}, now)).toEqual({ ok: true, start: new Date('2026-11-01T00:00:00Z'), end: now });
  });

  it.each([
    [{ start: 'yesterday' }, 'parameter_invalid', 'start'],
    // The API's one date-time rule (IsInstant, which the query DTO declares): a zone, 2000–2099.
    [{ start: '2026-11-01T00:00:00' }, 'parameter_invalid', 'start'],
    [{ end: '2100-01-01T00:00:00Z' }, 'parameter_invalid', 'end'],
    [{ start: '2026-11-02T00:00:00Z', end: '2026-11-02T00:00:00Z' }, 'invalid_window', 'end'],
    [{ start: '2024-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z' }, 'window_too_long', 'end'],
  ])('refuses %j with %s on %s', (query, code, param) => {
    expect(reportWindow(query, now)).toEqual({
      ok: false,
      problem: expect.objectContaining({ code, param }),
    });
  });

  it.each([
    ['whole hours', '2026-11-01T00:00:00Z', '2026-11-01T03:00:00Z', ['00:00', '03:00'], []],
    [
      'a partial first hour',
      '2026-11-01T00:30:00Z',
      '2026-11-01T03:00:00Z',
      ['01:00', '03:00'],
      [['00:30', '01:00']],
    ],
    [
      'a partial last hour',
      '2026-11-01T00:00:00Z',
      '2026-11-01T02:15:00Z',
      ['00:00', '02:00'],
      [['02:00', '02:15']],
    ],
    [
      'both edges partial',
      '2026-11-01T00:30:00Z',
      '2026-11-01T02:15:00Z',
      ['01:00', '02:00'],
      [
        ['00:30', '01:00'],
        ['02:00', '02:15'],
      ],
    ],
    ['no whole hour', '2026-11-01T00:10:00Z', '2026-11-01T00:50:00Z', null, [['00:10', '00:50']]],
    [
      'two partial hours, no whole one',
      '2026-11-01T00:30:00Z',
      '2026-11-01T01:30:00Z',
      null,
      [['00:30', '01:30']],
    ],
  ])('splits %s into whole hours and raw-event edges', (_label, start, end, hours, edges) => {
    const time = (d: Date) => d.toISOString().slice(11, 16);
    const split = splitWindow(new Date(start), new Date(end));
    expect(split.hours ? [time(split.hours.start), time(split.hours.end)] : null).toEqual(hours);
    expect(split.edges.map((e) => [time(e.start), time(e.end)])).toEqual(edges);
  });

  it('accepts whole hours with offsets', () => {
    expect(
      reportWindow({ start: '2026-11-01T02:00:00+02:00', end: '2026-11-01T01:00:00Z' }, now),
    ).toMatchObject({
      ok: true,
      start: new Date('2026-11-01T00:00:00Z'),
    });
  });
});

describe('periodShares', () => {
  const usage = (sum: string): BucketState => ({
    count: 1,
    sum,
    markupSum: '0',
    durationMs: '0',
    distinct: {},
  });
  const tiers = priceFromJson({
    model: 'graduated',
    tiers: [
      { up_to: '10', unit_amount: '1.00', flat_amount: '0' },
      { up_to: null, unit_amount: '0.50', flat_amount: '0' },
    ],
    minimum_amount: null,
    maximum_amount: null,
  });
  // The first 10 at 1.00, the rest at 0.50.
  const graduated = (state: BucketState) => rate(state.sum, tiers, 'usd');

  it.each([
    ['each period priced after the usage before it', ['4', '8', '6'], ['4.00', '7.00', '3.00']],
    ['an empty period adds nothing', ['12', '0', '2'], ['11.00', '0.00', '1.00']],
    ['a period that lowers the usage lowers the amount', ['12', '-4'], ['11.00', '-3.00']],
  ])('%s', (_name, sums, expected) => {
    expect(periodShares(sums.map(usage), graduated, 2)).toEqual(expected);
  });

  it('adds up to the price of the whole window, whatever the periods', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 40 }), { maxLength: 30 }), (values) => {
        const shares = periodShares(
          values.map((value) => usage(String(value))),
          graduated,
          2,
        );
        const whole = graduated(usage(String(values.reduce((a, b) => a + b, 0))));
        const cents = (amount: string) => BigInt(amount.replace('.', ''));
        const added = shares.reduce((total, share) => total + cents(share), 0n);
        expect(added).toBe(values.length === 0 ? 0n : cents(whole));
      }),
    );
  });
});
