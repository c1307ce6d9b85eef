import { isCurrency, minorUnitDigits } from './currency.js';

describe('isCurrency', () => {
  it.each(['usd', 'eur', 'jpy', 'gbp', 'kwd'])('accepts the ISO 4217 code %p', (code) => {
    expect(isCurrency(code)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['upper case', 'USD'],
    ['mixed case', 'Usd'],
    ['two letters', 'us'],
    ['four letters', 'usdd'],
    ['letters and digits', 'xyz123'],
    ['three letters that are no currency', 'xyz'],
    ['surrounding whitespace', ' usd'],
    ['the empty string', ''],
    ['a number', 5],
    ['null', null],
    ['undefined', undefined],
    ['an object', { code: 'usd' }],
  ])('rejects %s (%p)', (_label, code) => {
    expect(isCurrency(code)).toBe(false);
  });
});

describe('minorUnitDigits', () => {
  it.each<[string, number]>([
    ['usd', 2],
    ['eur', 2],
    ['gbp', 2],
    ['jpy', 0],
    ['krw', 0],
    ['kwd', 3],
    ['bhd', 3],
  ])('%s has %d minor-unit digits', (currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits);
  });
});
