import { minorUnitDigits } from '../../common/money/currency.js';
import { ExactDecimal } from '../../common/money/decimal.js';

/** The sum of line amounts (each already rounded), written with the currency's minor digits. */
export function invoiceTotal(amounts: readonly string[], currency: string): string {
  const digits = minorUnitDigits(currency);
  const total = amounts.reduce((sum, amount) => sum.plus(amount), new ExactDecimal(0));
  return (total.isZero() ? total.abs() : total).toFixed(digits);
}

/**
 * An amount in the currency's minor unit as an integer string, for the gateway ("42.32" usd →
 * "4232", "1000" jpy → "1000"). Refuses amounts that are not whole minor units.
 */
export function toMinorUnits(amount: string, currency: string): string {
  const minor = new ExactDecimal(amount).times(new ExactDecimal(10).pow(minorUnitDigits(currency)));
  if (!minor.isInteger()) throw new RangeError(`${amount} ${currency} is not a whole number of minor units`);
  return minor.toFixed(0);
}

/** A stored amount written with exactly the currency's minor digits ("42.3" → "42.30"); never rounds. */
export function moneyText(amount: string, currency: string): string {
  const digits = minorUnitDigits(currency);
  const value = new ExactDecimal(amount);
  if (value.decimalPlaces() > digits)
    throw new RangeError(`${amount} ${currency} has more than ${digits} fraction digits`);
  return (value.isZero() ? value.abs() : value).toFixed(digits);
}
