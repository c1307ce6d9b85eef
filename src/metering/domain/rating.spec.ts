import fc from 'fast-check';
import { minorUnitDigits } from '../../common/money/currency.js';
import { ExactDecimal } from '../../common/money/decimal.js';
import { perUnit, rate } from './rating.js';

/** The per-unit price of today, rounded once: what every report, invoice line, draw and overage charges. */
const priceQuantity = (quantity: string, unitAmount: string, currency: string) =>
  rate(quantity, perUnit(unitAmount), currency);

describe('rate, per unit', () => {
  it.each([
    ['42318', '0.001', 'usd', '42.32'],
    ['11', '10', 'usd', '110.00'],
    ['1', '1', 'usd', '1.00'],
    ['0', '0.001', 'usd', '0.00'],
    ['0.005', '1', 'usd', '0.01'],
    ['0.004999', '1', 'usd', '0.00'],
    ['0.015', '1', 'usd', '0.02'],
    ['-0.005', '1', 'usd', '-0.01'],
    ['-0.004', '1', 'usd', '0.00'],
    ['3', '0.333333333333333333', 'usd', '1.00'],
    ['42318', '0.001', 'jpy', '42'],
    ['2.5', '1', 'jpy', '3'],
    ['2.4999', '1', 'jpy', '2'],
    ['1.0005', '1', 'kwd', '1.001'],
    ['1.00049', '1', 'kwd', '1.000'],
    ['123456789012345678901234567890.123456789012345678', '1', 'usd', '123456789012345678901234567890.12'],
    // 44 nines: rounding first to 40 digits would make this 0.005 and then 0.01.
    [`0.00${'4'}${'9'.repeat(44)}`, '1', 'usd', '0.00'],
  ])('%s × %s %s → %s', (quantity, unitAmount, currency, expected) => {
    expect(priceQuantity(quantity, unitAmount, currency)).toBe(expected);
  });

  const decimal$ = (maxUnits: bigint, maxScale: number) =>
    fc
      .tuple(fc.bigInt({ min: -maxUnits, max: maxUnits }), fc.integer({ min: 0, max: maxScale }))
      .map(([units, scale]) => new ExactDecimal(units.toString()).div(10 ** scale).toFixed());

  it('has exactly the minor unit digits and is within half a minor unit of the exact product', () => {
    fc.assert(
      fc.property(
        decimal$(10n ** 24n, 18),
        decimal$(10n ** 12n, 12),
        fc.constantFrom('usd', 'eur', 'jpy', 'krw', 'kwd', 'bhd'),
        (quantity, unitAmount, currency) => {
          const digits = minorUnitDigits(currency);
          const price = priceQuantity(quantity, unitAmount, currency);
          expect(price).toMatch(digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`));
          const exact = new ExactDecimal(quantity).times(unitAmount);
          const halfMinorUnit = new ExactDecimal(10).pow(-digits).div(2);
          expect(new ExactDecimal(price).minus(exact).abs().lte(halfMinorUnit)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
