import { roundMoney } from '../../common/money/rounding.js';
import { ExactDecimal } from '../../common/money/decimal.js';

/**
 * A price: how a quantity of usage becomes money. One model today, `per_unit`; the pricing
 * models to come (graduated, volume, package, with minimums and maximums) are further members
 * of this union, each priced by its own case below, so a new one is a compile error until rated.
 */
export type Price = { model: 'per_unit'; unitAmount: string };

export const perUnit = (unitAmount: string): Price => ({ model: 'per_unit', unitAmount });

/**
 * The one rating function: the quantity of a whole billing period at `price`, rounded once to
 * the currency's minor unit. Reports, invoice lines, credit draws and subscription overage all
 * price usage here, so the same quantity always costs the same.
 */
export function rate(quantity: string, price: Price, currency: string): string {
  switch (price.model) {
    case 'per_unit':
      return roundMoney(new ExactDecimal(quantity).times(price.unitAmount), currency);
  }
}
