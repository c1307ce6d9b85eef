import { Decimal } from 'decimal.js';

/**
 * Exact decimal arithmetic for quantities and money, half-up where rounding happens. API
 * decimals have up to 48 significant digits (30 + 18); at 200 digits their sums and products
 * never round. Divide only where the quotient is rounded on purpose (src/usage/domain/quantity.ts).
 */
export const ExactDecimal = Decimal.clone({
  precision: 200,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -200,
  toExpPos: 200,
});
export type ExactDecimal = InstanceType<typeof ExactDecimal>;

const DECIMAL_TEXT = /^-?(\d{1,30})(\.\d{1,18})?$/;

/**
 * A decimal from an API value, exactly as written: a decimal string ("0.001") or a JSON number.
 * A JSON number arrives as a binary float; its shortest round-trip text is what the client wrote
 * for up to 15 significant digits, so `0.1` stays 0.1. Clients needing more digits send strings.
 * Returns the canonical text (no exponent, no trailing zeros), or null when `value` is not a
 * decimal within 30 integer and 18 fraction digits.
 */
export function canonicalDecimal(value: unknown): string | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = new ExactDecimal(value.toString()).toFixed();
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  if (!DECIMAL_TEXT.test(text)) return null;
  const canonical = new ExactDecimal(text).toFixed();
  return canonical === '-0' ? '0' : canonical;
}

/** Canonical decimal text: no exponent, no trailing fraction zeros, never "-0". */
export function decimalText(value: ExactDecimal): string {
  return value.isZero() ? '0' : value.toFixed();
}
