/** Every ISO 4217 code the ICU data Node ships knows, lower case, sorted. */
export const CURRENCY_CODES: readonly string[] = Intl.supportedValuesOf('currency')
  .map((code) => code.toLowerCase())
  .sort();

const SUPPORTED = new Set(CURRENCY_CODES);

/** True for an ISO 4217 code (lower-case, as the API takes them). */
export function isCurrency(code: unknown): code is string {
  return typeof code === 'string' && /^[a-z]{3}$/.test(code) && SUPPORTED.has(code);
}

/** Digits of the currency's minor unit (usd 2, jpy 0, kwd 3), from the ICU data Node ships. */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', {
    style: 'currency',
    currency: currency.toUpperCase(),
  }).resolvedOptions().maximumFractionDigits as number;
}
