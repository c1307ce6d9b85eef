/**
 * Exact money arithmetic for property tests, independent of the code under test: amounts as
 * BigInt cents, written and read as decimal text with BigInt alone.
 */

/** Integer cents of a decimal text with at most two fraction digits; anything else fails the test. */
export function cents(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (match === null) throw new Error(`not a decimal with at most 2 fraction digits: ${text}`);
  const [, sign, whole, fraction = ''] = match;
  const value = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign === '-' ? -value : value;
}

/** Decimal text of integer cents, always with two fraction digits ("12.00", "-0.05"). */
export function centsText(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString().padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
