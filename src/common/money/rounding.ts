import { minorUnitDigits } from './currency.js';
import { ExactDecimal } from './decimal.js';

/**
 * The one place money is rounded: quantity × unit amount, rounded half-up (ties away from zero)
 * to the currency's minor unit and written with exactly that many fraction digits
 * ("42.32" for usd, "42" for jpy).
 */
export function priceQuantity(quantity: string, unitAmount: string, currency: string): string {
  const digits = minorUnitDigits(currency);
  const amount = new ExactDecimal(quantity)
    .times(unitAmount)
    .toDecimalPlaces(digits, ExactDecimal.ROUND_HALF_UP);
  return (amount.isZero() ? amount.abs() : amount).toFixed(digits);
}
