import { decimalText, ExactDecimal } from '../../common/money/decimal.js';

/** What is known of one payer's credit window, in one currency. */
export interface WindowAccount {
  /** The priced amount of the window's usage so far (each metric priced once over the window). */
  priced: string;
  /** Drawn from grants for this window so far. */
  drawn: string;
  /** Charged on invoices for this window's usage without credits (uncovered and billed). */
  billedUncovered: string;
}

/**
 * How much more the window should draw from credits: its priced usage less what was drawn for it
 * and what invoices already charged for it. Drawing this after every fold makes a replayed fold
 * draw nothing, and never draws an amount an invoice charged.
 */
export function amountToDraw(window: WindowAccount): string {
  return decimalText(ExactDecimal.max(windowDue(window), 0));
}

/**
 * What the window should give back to credits after a correction lowered its priced usage below
 * what credits and invoices paid for it: the excess, up to what credits paid (credits are
 * returned first; what invoices charged beyond is adjusted on the next invoice).
 */
export function amountToReturn(window: WindowAccount): string {
  const excess = windowDue(window).negated();
  return decimalText(ExactDecimal.max(ExactDecimal.min(excess, window.drawn), 0));
}

function windowDue(window: WindowAccount): ExactDecimal {
  return new ExactDecimal(window.priced).minus(window.drawn).minus(window.billedUncovered);
}

/** What one grant drew for a window, net of what was returned to it, and when it last drew. */
export interface GrantDraw {
  grantId: string;
  drawn: string;
  lastDrawnAt: Date;
}

/**
 * How a return is spread over the grants that drew for the window: the latest drawn first, each
 * given back at most what it drew, only grants that can still be drawn from (`returnable`).
 * What no such grant can take stays drawn (the next invoice carries it to the invoice balance).
 */
export function returnsFrom(
  draws: readonly GrantDraw[],
  amount: string,
  returnable: (grantId: string) => boolean,
): Array<{ grantId: string; amount: string }> {
  let left = new ExactDecimal(amount);
  const returns = [];
  const latestFirst = [...draws].sort(
    (a, b) => b.lastDrawnAt.getTime() - a.lastDrawnAt.getTime() || (a.grantId < b.grantId ? 1 : -1),
  );
  for (const draw of latestFirst) {
    if (!left.greaterThan(0)) break;
    if (!returnable(draw.grantId) || !new ExactDecimal(draw.drawn).greaterThan(0)) continue;
    const given = ExactDecimal.min(left, draw.drawn);
    returns.push({ grantId: draw.grantId, amount: decimalText(given) });
    left = left.minus(given);
  }
  return returns;
}

export interface InvoiceWindowShare {
  /** The priced amount of the window's usage this invoice bills. */
  share: string;
  /** Drawn for the window and not yet applied to an invoice. */
  available: string;
}

export interface CreditApplication {
  /** Subtracted on the invoice as "credits applied". */
  applied: string;
  /** The part of the share the invoice charges. */
  uncovered: string;
}

/**
 * Credits an invoice applies to one window's usage: what was drawn for it, up to the share the
 * invoice bills; the rest of the share is charged. A negative share (a correction lowering the
 * window) un-applies the credits a correction returned (`available` below zero), down to the
 * share; the rest is a negative charge. applied + uncovered = share, always.
 */
export function applyToInvoice(window: InvoiceWindowShare): CreditApplication {
  const share = new ExactDecimal(window.share);
  const available = new ExactDecimal(window.available);
  const applied = share.isNegative()
    ? ExactDecimal.max(share, ExactDecimal.min(available, 0))
    : ExactDecimal.min(share, ExactDecimal.max(available, 0));
  return { applied: decimalText(applied), uncovered: decimalText(share.minus(applied)) };
}
