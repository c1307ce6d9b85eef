import { decimalText, ExactDecimal } from '../../common/money/decimal.js';
import { isCrossed, type Threshold } from './thresholds.js';

export interface AutoTopUp {
  /** Buy when the balance is at or below this amount. */
  threshold: string;
  /** The paid grant bought. */
  amount: string;
}

/** Which one-shot notices and purchases are spent until the balance recovers (re-armed then). */
export interface MonitorFlags {
  thresholdNotified: boolean;
  depletionNotified: boolean;
  topUpSpent: boolean;
}

export interface MonitorInput {
  granted: string;
  remaining: string;
  threshold: Threshold;
  autoTopUp: AutoTopUp | null;
  flags: MonitorFlags;
}

export interface MonitorDecision {
  notifyThreshold: boolean;
  notifyDepletion: boolean;
  /** The amount of the paid grant to buy now, or null. */
  topUp: string | null;
  flags: MonitorFlags;
}

/**
 * What the credit monitor does on a balance: each notice (and the auto top-up) happens once per
 * crossing, and is re-armed only when the balance is back above its level (a top-up). A pending
 * (unpaid) top-up leaves the balance where it is, so it is never bought twice for one crossing.
 */
export function decide(input: MonitorInput): MonitorDecision {
  const remaining = new ExactDecimal(input.remaining);
  const crossed = isCrossed(input.threshold, input.granted, input.remaining);
  const depleted = new ExactDecimal(input.granted).greaterThan(0) && !remaining.greaterThan(0);
  const needsTopUp = input.autoTopUp !== null && remaining.lessThanOrEqualTo(input.autoTopUp.threshold);
  return {
    notifyThreshold: crossed && !input.flags.thresholdNotified,
    notifyDepletion: depleted && !input.flags.depletionNotified,
    topUp: needsTopUp && !input.flags.topUpSpent ? input.autoTopUp!.amount : null,
    flags: { thresholdNotified: crossed, depletionNotified: depleted, topUpSpent: needsTopUp },
  };
}

/** What `granted` counts: the grants' amounts since the balance last ran out. */
export interface GrantedGrant {
  amount: string;
  remaining: string;
  activatedAt: Date | null;
}

/**
 * The amount granted in the current round of credits: every active grant with something left,
 * and those used up since the balance last ran out (`depletedAt`). Grants used up before that
 * no longer count, so a percent threshold follows the credits a payer has now, not all it ever had.
 */
export function grantedAmount(grants: readonly GrantedGrant[], depletedAt: Date | null): string {
  return decimalText(
    grants
      .filter(
        (grant) =>
          new ExactDecimal(grant.remaining).greaterThan(0) ||
          depletedAt === null ||
          (grant.activatedAt !== null && grant.activatedAt > depletedAt),
      )
      .reduce((sum, grant) => sum.plus(grant.amount), new ExactDecimal(0)),
  );
}
