import { minorUnitDigits } from './currency.js';
import { ExactDecimal } from './decimal.js';

/**
 * The one place money is rounded: an exact amount, rounded half-up (ties away from zero) to the
 * currency's minor unit and written with exactly that many fraction digits ("42.32" for usd,
 * "42" for jpy). Prices reach it through `rate` (src/metering/domain/rating.ts).
 */
export function roundMoney(amount: ExactDecimal, currency: string): string {
  const digits = minorUnitDigits(currency);
  const rounded = amount.toDecimalPlaces(digits, ExactDecimal.ROUND_HALF_UP);
  return (rounded.isZero() ? rounded.abs() : rounded).toFixed(digits);
}
