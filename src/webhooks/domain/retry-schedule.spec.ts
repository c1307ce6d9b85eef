import fc from 'fast-check';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from './retry-schedule.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS = [
  ['ms', 1],
  ['s', SECOND],
  ['m', MINUTE],
  ['h', HOUR],
  ['d', DAY],
] as const;

describe('DEFAULT_RETRY_SCHEDULE', () => {
  it('parses to 5s, 5m, 30m, 2h, 5h, 10h, 10h', () => {
    expect(parseRetrySchedule(DEFAULT_RETRY_SCHEDULE)).toEqual([
      5 * SECOND,
      5 * MINUTE,
      30 * MINUTE,
      2 * HOUR,
      5 * HOUR,
      10 * HOUR,
      10 * HOUR,
    ]);
  });

  it('retries 7 times over 27 h 35 min 5 s in total', () => {
    const delays = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE) ?? [];
    expect(delays).toHaveLength(7);
    expect(delays.reduce((sum, delay) => sum + delay, 0)).toBe(27 * HOUR + 35 * MINUTE + 5 * SECOND);
  });
});

describe('parseRetrySchedule', () => {
  it.each<[string, number[]]>([
    ['', []],
    ['   ', []],
    ['1ms', [1]],
    ['5s', [5 * SECOND]],
    ['5m', [5 * MINUTE]],
    ['2h', [2 * HOUR]],
    ['3d', [3 * DAY]],
    ['5s,5m,30m', [5 * SECOND, 5 * MINUTE, 30 * MINUTE]],
    [' 5s , 1h ,2d ', [5 * SECOND, HOUR, 2 * DAY]],
    ['05s', [5 * SECOND]],
    ['10h,10h', [10 * HOUR, 10 * HOUR]],
    ['30d', [30 * DAY]],
    ['720h', [30 * DAY]],
    [`${30 * DAY}ms`, [30 * DAY]],
  ])('parses %p', (text, expected) => {
    expect(parseRetrySchedule(text)).toEqual(expected);
  });

  it.each([
    ['zero', '0s'],
    ['zero among others', '5s,0m,1h'],
    ['over 30 days', '31d'],
    ['over 30 days in hours', '721h'],
    ['one ms over 30 days', `${30 * DAY + 1}ms`],
    ['an unknown unit', '5x'],
    ['a unit in upper case', '5S'],
    ['a missing unit', '5'],
    ['a missing number', 's'],
    ['a negative delay', '-5s'],
    ['a fraction', '1.5h'],
    ['a space inside a step', '5 s'],
    ['a combined step', '1h30m'],
    ['an empty entry', '5s,,5m'],
    ['a trailing comma', '5s,'],
    ['a leading comma', ',5s'],
    ['another separator', '5s;5m'],
  ])('rejects %s (%p)', (_label, text) => {
    expect(parseRetrySchedule(text)).toBeNull();
  });

  it('parses any list of valid steps back to their milliseconds (property)', () => {
    const step = fc
      .constantFrom(...UNITS)
      .chain(([unit, ms]) =>
        fc
          .integer({ min: 1, max: Math.floor((30 * DAY) / ms) })
          .map((count) => ({ text: `${count}${unit}`, ms: count * ms })),
      );
    const separator = fc.constantFrom(',', ', ', ' ,', ' , ');
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), separator, (steps, sep) => {
        const text = steps.map((s) => s.text).join(sep);
        expect(parseRetrySchedule(text)).toEqual(steps.map((s) => s.ms));
      }),
    );
  });

  it('rejects any step longer than 30 days (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...UNITS), fc.integer({ min: 1, max: 1000 }), ([unit, ms], over) => {
        const count = Math.floor((30 * DAY) / ms) + over;
        expect(parseRetrySchedule(`5s,${count}${unit}`)).toBeNull();
      }),
    );
  });
});
