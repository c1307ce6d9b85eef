import fc from 'fast-check';
import { INSTANT_PATTERN, parseInstant } from './instant.js';

describe('parseInstant', () => {
  it.each<[string, string]>([
    ['2026-11-24T18:00:00Z', '2026-11-24T18:00:00.000Z'],
    ['2026-11-24T18:00Z', '2026-11-24T18:00:00.000Z'],
    ['2026-11-24t18:00:00z', '2026-11-24T18:00:00.000Z'],
    ['2026-11-24T18:00:00.123456789Z', '2026-11-24T18:00:00.123Z'],
    ['2026-11-24T18:00:00+05:30', '2026-11-24T12:30:00.000Z'],
    ['2026-11-24T18:00:00-0100', '2026-11-24T19:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['2000-01-01T00:00:00Z', '2000-01-01T00:00:00.000Z'],
    ['2099-12-31T23:59:59Z', '2099-12-31T23:59:59.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-11-24',
    '2026-11-24T18:00:00',
    '2026-02-29T00:00:00Z',
    '2100-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-11-24T24:00:00Z',
    '2026-11-24T18:60:00Z',
    '2026-11-24T18:00:60Z',
    '2026-11-24T18:00:00+24:00',
    '1999-12-31T23:59:59Z',
    '2100-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z',
    ' 2026-11-24T18:00:00Z',
    '2026-11-24T18:00:00.Z',
    '',
  ])('refuses %p', (text) => {
    expect(parseInstant(text)).toBeNull();
  });

  it.each([null, undefined, 0, 1767225600000, {}, []])('refuses the non-string %p', (value) => {
    expect(parseInstant(value)).toBeNull();
  });

  it('accepts exactly the real days of 2000–2099 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1990, max: 2110 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T12:00:00Z`;
          const real = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
          const expected = real && year >= 2000 && year <= 2099;
          expect(parseInstant(text) !== null).toBe(expected);
          expect(new RegExp(INSTANT_PATTERN).test(text)).toBe(expected);
        },
      ),
    );
  });
});
