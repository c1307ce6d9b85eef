import { decimalText, ExactDecimal } from '../../common/money/decimal.js';

/** When `billing.threshold.approaching` fires: at a share of the granted amount, or at an absolute balance. */
export type Threshold = { kind: 'percent'; percent: string } | { kind: 'amount'; amount: string };

/** The default: 20 % of the granted amount left. */
export const DEFAULT_THRESHOLD: Threshold = { kind: 'percent', percent: '20' };

/** The balance at or below which the threshold counts as crossed. */
export function thresholdAmount(threshold: Threshold, granted: string): string {
  switch (threshold.kind) {
    case 'percent':
      return decimalText(new ExactDecimal(granted).times(threshold.percent).div(100));
    case 'amount':
      return decimalText(new ExactDecimal(threshold.amount));
  }
}

/** Crossed when the remaining balance is at or below the threshold amount (and something was granted). */
export function isCrossed(threshold: Threshold, granted: string, remaining: string): boolean {
  if (!new ExactDecimal(granted).greaterThan(0)) return false;
  return new ExactDecimal(remaining).lessThanOrEqualTo(thresholdAmount(threshold, granted));
}

/**
 * When the balance would reach zero at the recent burn rate: the consumption within `windowMs`
 * before `now`, spread over that window. Null when nothing was consumed in it (no burn, no date)
 * or nothing is left to burn.
 */
export function projectedDepletion(
  remaining: string,
  consumptions: ReadonlyArray<{ at: Date; amount: string }>,
  now: Date,
  windowMs: number,
): Date | null {
  const left = new ExactDecimal(remaining);
  if (!left.greaterThan(0)) return null;
  const from = now.getTime() - windowMs;
  const burned = consumptions
    .filter((c) => c.at.getTime() > from && c.at.getTime() <= now.getTime())
    .reduce((sum, c) => sum.plus(c.amount), new ExactDecimal(0));
  if (!burned.greaterThan(0)) return null;
  const msLeft = left.div(burned).times(windowMs).toDecimalPlaces(0, ExactDecimal.ROUND_DOWN).toNumber();
  return new Date(now.getTime() + msLeft);
}
