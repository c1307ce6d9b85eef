import { decimalText, ExactDecimal } from '../../common/money/decimal.js';

/** What allocation needs of a credit grant: how much is left, and what orders it. */
export interface GrantBalance {
  id: string;
  /** Exact decimal in the currency's major unit, never negative. */
  remaining: string;
  /** Higher draws first. */
  priority: number;
  expiresAt: Date | null;
  createdAt: Date;
}

export interface Draw {
  grantId: string;
  amount: string;
}

export interface Allocation {
  draws: Draw[];
  /** The part of the amount no grant covered (billed on the payer's next invoice). */
  uncovered: string;
}

/** Whether the grant can still be drawn from at `at` (a grant expires at its `expiresAt`, exclusive). */
export function isLive(grant: GrantBalance, at: Date): boolean {
  return (
    (grant.expiresAt === null || grant.expiresAt > at) && new ExactDecimal(grant.remaining).greaterThan(0)
  );
}

/**
 * The order grants are drawn from: higher priority first, then the soonest expiry (grants that
 * never expire last), then the oldest, then by id so the order is total.
 */
export function drawOrder(grants: readonly GrantBalance[], at: Date): GrantBalance[] {
  return grants
    .filter((grant) => isLive(grant, at))
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity) ||
        a.createdAt.getTime() - b.createdAt.getTime() ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

/**
 * Draws `amount` (a non-negative exact decimal) from the grants in draw order: each grant gives
 * at most what it has left, so no balance goes negative, and what they cannot cover is uncovered.
 * The draws plus the uncovered part always add up to `amount` exactly.
 */
export function allocate(grants: readonly GrantBalance[], amount: string, at: Date): Allocation {
  let due = new ExactDecimal(amount);
  if (due.isNegative()) throw new RangeError(`cannot draw a negative amount (${amount})`);
  const draws: Draw[] = [];
  for (const grant of drawOrder(grants, at)) {
    if (due.isZero()) break;
    const take = ExactDecimal.min(due, grant.remaining);
    draws.push({ grantId: grant.id, amount: decimalText(take) });
    due = due.minus(take);
  }
  return { draws, uncovered: decimalText(due) };
}

/** The payer's balance at `at`: what its live grants have left. */
export function balanceOf(grants: readonly GrantBalance[], at: Date): string {
  return decimalText(
    grants
      .filter((grant) => isLive(grant, at))
      .reduce((sum, grant) => sum.plus(grant.remaining), new ExactDecimal(0)),
  );
}
