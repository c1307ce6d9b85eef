import { ValidationError } from '../errors/tally-error.js';
import { minorUnitDigits } from './currency.js';
import { ExactDecimal } from './decimal.js';

/** Whether `amount` has no more fraction digits than the currency's minor unit (cents for usd, none for jpy). */
export function isWholeMinorUnits(amount: string, currency: string): boolean {
  return new ExactDecimal(amount).decimalPlaces() <= minorUnitDigits(currency);
}

/**
 * The one check that money a request gives is whole minor units of its currency (and, with
 * `positive`, more than zero); answers it as canonical text, else a 400 with `code` on `param`.
 */
export function requireWholeMinorUnits(
  amount: string,
  currency: string,
  param: string,
  options: { code: string; positive?: boolean },
): string {
  const value = new ExactDecimal(amount);
  if ((options.positive && !value.greaterThan(0)) || !isWholeMinorUnits(amount, currency)) {
    const digits = minorUnitDigits(currency);
    throw new ValidationError(
      options.code,
      `${param} must be ${options.positive ? 'more than zero, ' : ''}in whole ${currency} minor units (at most ${digits} decimals).`,
      param,
    );
  }
  return value.toFixed();
}
