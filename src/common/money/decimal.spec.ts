import fc from 'fast-check';
import { canonicalDecimal, ExactDecimal } from './decimal.js';

/** `units` / 10^scale written with exactly `scale` fraction digits ("0.10" for 10n, 2), built without decimal.js. */
function scaledText(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** The canonical form of `units` / 10^scale: no trailing fraction zeros, no "-0". */
function canonicalText(units: bigint, scale: number): string {
  let text = scaledText(units, scale);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

const MAX_SCALE = 18;
const toMaxScale = (units: bigint, scale: number): bigint => units * 10n ** BigInt(MAX_SCALE - scale);

describe('canonicalDecimal', () => {
  it.each<[unknown, string]>([
    ['0.10', '0.1'],
    ['007', '7'],
    ['-0', '0'],
    ['-0.000', '0'],
    ['0', '0'],
    ['100', '100'],
    ['1.500', '1.5'],
    ['-1.50', '-1.5'],
    ['00.5', '0.5'],
    ['42.32', '42.32'],
    ['0.001', '0.001'],
    ['12345678901234567890', '12345678901234567890'],
    ['9'.repeat(30), '9'.repeat(30)],
    [`0.${'0'.repeat(17)}1`, `0.${'0'.repeat(17)}1`],
    [`${'9'.repeat(30)}.${'9'.repeat(18)}`, `${'9'.repeat(30)}.${'9'.repeat(18)}`],
    [0.1, '0.1'],
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [-3.25, '-3.25'],
    [1e-7, '0.0000001'],
    [1e-18, `0.${'0'.repeat(17)}1`],
    [1e21, `1${'0'.repeat(21)}`],
    [123456.789, '123456.789'],
  ])('%p → %p', (input, expected) => {
    expect(canonicalDecimal(input)).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['an exponent string', '1e5'],
    ['an upper-case exponent string', '1E5'],
    ['a negative-exponent string', '1e-7'],
    ['letters', 'abc'],
    ['a number followed by letters', '12abc'],
    ['the empty string', ''],
    ['a blank string', ' '],
    ['"NaN"', 'NaN'],
    ['"Infinity"', 'Infinity'],
    ['a hex string', '0x10'],
    ['a comma decimal', '1,5'],
    ['a thousands separator', '1,000'],
    ['two points', '1.2.3'],
    ['a lone minus', '-'],
    ['an object', { value: '1' }],
    ['an array', ['1']],
    ['true', true],
    ['false', false],
    ['null', null],
    ['undefined', undefined],
    ['31 integer digits (string)', '1'.repeat(31)],
    ['19 fraction digits (string)', `0.${'1'.repeat(19)}`],
    ['31 integer digits (number)', 1e30],
    ['19 fraction digits (number)', 1e-19],
    ['the smallest double', Number.MIN_VALUE],
  ])('rejects %s', (_label, input) => {
    expect(canonicalDecimal(input)).toBeNull();
  });

  it('is idempotent on decimal strings, with or without leading zeros', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 48n) + 1n, max: 10n ** 48n - 1n }),
        fc.integer({ min: 0, max: MAX_SCALE }),
        fc.nat({ max: 3 }),
        (units, scale, padding) => {
          const text = scaledText(units < 0n ? -units : units, scale);
          const input = `${units < 0n ? '-' : ''}${'0'.repeat(padding)}${text}`;
          const once = canonicalDecimal(input);
          if (once === null) return;
          expect(canonicalDecimal(once)).toBe(once);
        },
      ),
    );
  });

  it('is idempotent on numbers and anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.string(), fc.anything()), (input) => {
        const once = canonicalDecimal(input);
        if (once === null) return;
        expect(canonicalDecimal(once)).toBe(once);
      }),
    );
  });

  it('keeps a decimal string within the limits exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 48n) + 1n, max: 10n ** 48n - 1n }),
        fc.integer({ min: 0, max: MAX_SCALE }),
        (units, scale) => {
          const integerDigits = (units < 0n ? -units : units) / 10n ** BigInt(scale);
          fc.pre(integerDigits.toString().length <= 30);
          expect(canonicalDecimal(scaledText(units, scale))).toBe(canonicalText(units, scale));
        },
      ),
    );
  });

  it('gives a number back the value it came from', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (input) => {
        const text = canonicalDecimal(input);
        if (text === null) return;
        expect(Number(text)).toBe(input === 0 ? 0 : input);
      }),
    );
  });
});

describe('summing canonical decimals with ExactDecimal', () => {
  it('0.1 + 0.2 is exactly 0.3, from numbers and from strings', () => {
    const fromNumbers = new ExactDecimal(canonicalDecimal(0.1)!).plus(canonicalDecimal(0.2)!);
    const fromStrings = new ExactDecimal(canonicalDecimal('0.10')!).plus(canonicalDecimal('0.20')!);
    expect(fromNumbers.toFixed()).toBe('0.3');
    expect(fromStrings.toFixed()).toBe('0.3');
  });

  it('a + b is exact for integers a, b at any scale', () => {
    const operand = fc.record({
      units: fc.bigInt({ min: -(10n ** 20n) + 1n, max: 10n ** 20n - 1n }),
      scale: fc.integer({ min: 0, max: MAX_SCALE }),
    });
    fc.assert(
      fc.property(operand, operand, (a, b) => {
        const sum = new ExactDecimal(canonicalDecimal(scaledText(a.units, a.scale))!).plus(
          canonicalDecimal(scaledText(b.units, b.scale))!,
        );
        const expected = toMaxScale(a.units, a.scale) + toMaxScale(b.units, b.scale);
        expect(sum.toFixed()).toBe(canonicalText(expected, MAX_SCALE));
      }),
    );
  });

  it('a running total over many events is exact', () => {
    const operand = fc.record({
      units: fc.bigInt({ min: -(10n ** 20n) + 1n, max: 10n ** 20n - 1n }),
      scale: fc.integer({ min: 0, max: MAX_SCALE }),
    });
    fc.assert(
      fc.property(fc.array(operand, { maxLength: 50 }), (values) => {
        let total = new ExactDecimal(0);
        let expected = 0n;
        for (const { units, scale } of values) {
          total = total.plus(canonicalDecimal(scaledText(units, scale))!);
          expected += toMaxScale(units, scale);
        }
        expect(total.toFixed()).toBe(canonicalText(expected, MAX_SCALE));
      }),
    );
  });
});
