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
  const due = new ExactDecimal(window.priced).minus(window.drawn).minus(window.billedUncovered);
  return decimalText(ExactDecimal.max(due, 0));
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
 * invoice bills; the rest of the share is charged. applied + uncovered = share, always.
 */
export function applyToInvoice(window: InvoiceWindowShare): CreditApplication {
  const share = ExactDecimal.max(new ExactDecimal(window.share), 0);
  const applied = ExactDecimal.min(share, ExactDecimal.max(new ExactDecimal(window.available), 0));
  return { applied: decimalText(applied), uncovered: decimalText(share.minus(applied)) };
}
