import { decimalText, ExactDecimal } from '../../common/money/decimal.js';
import { moneyText } from './invoice-totals.js';

/** How an issued invoice moves its payer's invoice balance, and the line that shows it. */
export interface BalanceSettlement {
  /** Added to the invoice's lines; its amount is also the balance's change. */
  line: { kind: 'balance_carried' | 'balance_applied'; description: string; amount: string } | null;
  entry: { kind: 'carried' | 'applied'; amount: string } | null;
}

const NONE: BalanceSettlement = { line: null, entry: null };

/**
 * The one rule for a payer's invoice balance (one currency). An invoice whose lines sum below
 * zero (a correction lowering usage already billed) is never a negative charge: it closes at
 * zero and carries the amount to the balance. An invoice that charges something and may use the
 * balance (any kind but a credit purchase) takes as much of it as it can. So the invoice's total
 * (`subtotal` + the line) and the balance after (`balance` + the line) are never negative.
 */
export function settleWithBalance(input: {
  subtotal: string;
  balance: string;
  currency: string;
  usesBalance: boolean;
}): BalanceSettlement {
  const subtotal = new ExactDecimal(input.subtotal);
  if (subtotal.isNegative() && !subtotal.isZero()) {
    const carried = moneyText(decimalText(subtotal.negated()), input.currency);
    return {
      line: {
        kind: 'balance_carried',
        description: 'Carried to the invoice balance, for the next invoices',
        amount: carried,
      },
      entry: { kind: 'carried', amount: carried },
    };
  }
  const balance = new ExactDecimal(input.balance);
  if (!input.usesBalance || !subtotal.greaterThan(0) || !balance.greaterThan(0)) return NONE;
  const applied = moneyText(decimalText(ExactDecimal.min(subtotal, balance).negated()), input.currency);
  return {
    line: { kind: 'balance_applied', description: 'Invoice balance applied', amount: applied },
    entry: { kind: 'applied', amount: applied },
  };
}
