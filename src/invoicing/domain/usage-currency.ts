import { ValidationError } from '../../common/errors/tally-error.js';

/**
 * The currency a billing invoice bills when none is given: the one its usage is priced in (usd
 * when there is none), or 400 `currency_required` when the usage is priced in several.
 */
export function usageCurrency(currencies: readonly string[], action: 'invoice' | 'preview'): string {
  const distinct = [...new Set(currencies)].sort();
  if (distinct.length > 1) {
    throw new ValidationError(
      'currency_required',
      `The usage in this window is priced in ${distinct.join(', ')}; give currency to ${action} one of them.`,
      'currency',
    );
  }
  return distinct[0] ?? 'usd';
}
