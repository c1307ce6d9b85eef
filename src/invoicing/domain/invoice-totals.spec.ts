import fc from 'fast-check';
import { centsText } from '../../../test/support/cents.js';
import { invoiceTotal, moneyText, toMinorUnits } from './invoice-totals.js';

describe('invoiceTotal', () => {
  it.each<[string[], string, string]>([
    [[], 'usd', '0.00'],
    [[], 'jpy', '0'],
    [[], 'kwd', '0.000'],
    [['0.1', '0.2'], 'usd', '0.30'],
    [['0.10', '0.20', '0.30'], 'usd', '0.60'],
    [['42.32', '110.00'], 'usd', '152.32'],
    [['0.01', '-0.01'], 'usd', '0.00'],
    [['-0.00'], 'usd', '0.00'],
    [['5.00', '-7.50'], 'usd', '-2.50'],
    [['42', '1000'], 'jpy', '1042'],
    [['1.234', '0.001'], 'kwd', '1.235'],
    [['1.5', '2'], 'kwd', '3.500'],
    [['999999999999999999999999999999.99', '0.01'], 'usd', '1000000000000000000000000000000.00'],
  ])('%j %s → %s', (amounts, currency, expected) => {
    expect(invoiceTotal(amounts, currency)).toBe(expected);
  });

  it('adds a thousand lines of 0.1 to exactly 100', () => {
    expect(
      invoiceTotal(
        Array.from({ length: 1000 }, () => '0.1'),
        'usd',
      ),
    ).toBe('100.00');
    expect(
      invoiceTotal(
        Array.from({ length: 1000 }, () => '0.001'),
        'kwd',
      ),
    ).toBe('1.000');
  });

  it('equals the integer sum of the cents, over 100', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), { maxLength: 50 }),
        (cents) => {
          const sum = cents.reduce((total, amount) => total + amount, 0n);
          expect(invoiceTotal(cents.map(centsText), 'usd')).toBe(centsText(sum));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('equals the integer sum for yen', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 15n }), { maxLength: 50 }), (yen) => {
        const sum = yen.reduce((total, amount) => total + amount, 0n);
        expect(invoiceTotal(yen.map(String), 'jpy')).toBe(sum.toString());
      }),
      { numRuns: 100 },
    );
  });
});

describe('toMinorUnits', () => {
  it.each([
    ['42.32', 'usd', '4232'],
    ['42.3', 'usd', '4230'],
    ['42', 'usd', '4200'],
    ['0.01', 'usd', '1'],
    ['0', 'usd', '0'],
    ['0.00', 'usd', '0'],
    ['-0.00', 'usd', '0'],
    ['-42.32', 'usd', '-4232'],
    ['1000', 'jpy', '1000'],
    ['1.234', 'kwd', '1234'],
    ['1.2', 'kwd', '1200'],
    ['123456789012345678901234567890.12', 'usd', '12345678901234567890123456789012'],
  ])('%s %s → %s', (amount, currency, expected) => {
    expect(toMinorUnits(amount, currency)).toBe(expected);
  });

  it.each([
    ['0.001', 'usd'],
    ['42.325', 'usd'],
    ['0.5', 'jpy'],
    ['1.2345', 'kwd'],
  ])('refuses %s %s, which is not a whole number of minor units', (amount, currency) => {
    expect(() => toMinorUnits(amount, currency)).toThrow(RangeError);
  });
});

describe('moneyText', () => {
  it.each([
    ['42.3', 'usd', '42.30'],
    ['42', 'usd', '42.00'],
    ['42.32', 'usd', '42.32'],
    ['42.300', 'usd', '42.30'],
    ['0', 'usd', '0.00'],
    ['-0', 'usd', '0.00'],
    ['-1.5', 'usd', '-1.50'],
    ['1000', 'jpy', '1000'],
    ['1000.0', 'jpy', '1000'],
    ['1.2', 'kwd', '1.200'],
    ['1.234', 'kwd', '1.234'],
  ])('%s %s → %s', (amount, currency, expected) => {
    expect(moneyText(amount, currency)).toBe(expected);
  });

  it.each([
    ['0.001', 'usd'],
    ['42.325', 'usd'],
    ['0.5', 'jpy'],
    ['1.2345', 'kwd'],
  ])('throws for %s %s rather than rounding', (amount, currency) => {
    expect(() => moneyText(amount, currency)).toThrow(RangeError);
  });
});
