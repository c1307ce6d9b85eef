import { ValidationError } from '../../common/errors/tally-error.js';
import { usageCurrency } from './usage-currency.js';

describe('usageCurrency', () => {
  it.each([
    [[], 'usd'],
    [['eur'], 'eur'],
    [['jpy', 'jpy', 'jpy'], 'jpy'],
  ])('%j → %s', (currencies, expected) => {
    expect(usageCurrency(currencies, 'invoice')).toBe(expected);
  });

  it('asks for a currency when the usage is priced in several, naming them sorted', () => {
    const refusal = (() => {
      try {
        usageCurrency(['usd', 'jpy', 'usd'], 'preview');
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(ValidationError);
    expect(refusal).toMatchObject({
      code: 'currency_required',
      param: 'currency',
      message: 'The usage in this window is priced in jpy, usd; give currency to preview one of them.',
    });
  });
});
