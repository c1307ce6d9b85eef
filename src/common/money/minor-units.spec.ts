import { isWholeMinorUnits, requireWholeMinorUnits } from './minor-units.js';

describe('whole minor units', () => {
  it.each([
    ['1.00', 'usd', true],
    ['1.5', 'usd', true],
    ['1.001', 'usd', false],
    ['1000', 'jpy', true],
    ['1000.5', 'jpy', false],
    ['1.234', 'kwd', true],
    ['1.2345', 'kwd', false],
    ['0', 'usd', true],
  ])('%s %s: %s', (amount, currency, expected) => {
    expect(isWholeMinorUnits(amount, currency)).toBe(expected);
  });

  it('answers canonical text for money it accepts', () => {
    expect(requireWholeMinorUnits('10.50', 'usd', 'amount', { code: 'amount_invalid', positive: true })).toBe(
      '10.5',
    );
    expect(requireWholeMinorUnits('0', 'usd', 'base_amount', { code: 'parameter_invalid' })).toBe('0');
  });

  it.each([
    ['1.001', false, 'base_amount must be in whole usd minor units (at most 2 decimals).'],
    ['0', true, 'amount must be more than zero, in whole usd minor units (at most 2 decimals).'],
    ['-1', true, 'amount must be more than zero, in whole usd minor units (at most 2 decimals).'],
  ])('refuses %s (positive: %s) with the caller’s code and param', (amount, positive, message) => {
    const param = positive ? 'amount' : 'base_amount';
    expect(() => requireWholeMinorUnits(amount, 'usd', param, { code: 'some_code', positive })).toThrow(
      expect.objectContaining({ code: 'some_code', param, message }),
    );
  });
});
