import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decimalText, ExactDecimal } from '../common/money/decimal.js';
import { newId } from '../common/ids/ids.js';
import { settleWithBalance } from './domain/invoice-balance.js';
import { invoiceTotal, moneyText } from './domain/invoice-totals.js';
import type { InvoiceLineEntity } from './invoice-line.entity.js';
import type { InvoiceEntity } from './invoice.entity.js';
import { InvoiceBalancesRepository } from './invoice-balances.repository.js';
import { InvoicesRepository } from './invoices.repository.js';

/** The payer's invoice balance: carried by negative invoices, applied to the next ones (see settleWithBalance). */
@Injectable()
export class InvoiceBalanceService {
  constructor(
    private readonly balances: InvoiceBalancesRepository,
    private readonly invoices: InvoicesRepository,
  ) {}

  /**
   * In the issue transaction, once the draft's lines are final: carries a negative sum to the
   * balance, or applies the balance to a positive one, as one more line. Answers the lines.
   */
  async settle(
    tx: EntityManager,
    draft: InvoiceEntity,
    lines: InvoiceLineEntity[],
  ): Promise<InvoiceLineEntity[]> {
    await this.balances.lock(tx, draft.merchantId, draft.payerId, draft.currency);
    const settlement = settleWithBalance({
      subtotal: invoiceTotal(
        lines.map((line) => line.amount),
        draft.currency,
      ),
      balance: await this.balances.balance(tx, draft.merchantId, draft.payerId, draft.currency),
      currency: draft.currency,
      usesBalance: draft.kind !== 'credits',
    });
    if (!settlement.line || !settlement.entry) return lines;
    const line = {
      merchantId: draft.merchantId,
      id: newId('invoiceLine'),
      invoiceId: draft.id,
      kind: settlement.line.kind,
      metricId: null,
      description: settlement.line.description,
      quantity: '1',
      unitAmount: settlement.line.amount,
      amount: settlement.line.amount,
      tiers: null,
      periodStart: null,
      periodEnd: null,
      idempotencyKey: null,
      requestHash: null,
    };
    await this.invoices.insertLines(tx, [line]);
    await this.balances.append(tx, {
      merchantId: draft.merchantId,
      invoiceId: draft.id,
      kind: settlement.entry.kind,
      payerId: draft.payerId,
      currency: draft.currency,
      amount: settlement.entry.amount,
    });
    return this.invoices.linesOf(draft.merchantId, [draft.id], tx);
  }

  /**
   * The balance line an invoice of these lines would get if issued now (for previews), read only:
   * as settle would add it, as a line of one unit.
   */
  async previewLine(
    tx: EntityManager,
    invoice: { merchantId: string; payerId: string; currency: string; kind: InvoiceEntity['kind'] },
    amounts: readonly string[],
  ) {
    const settlement = settleWithBalance({
      subtotal: invoiceTotal(amounts, invoice.currency),
      balance: await this.balances.balance(tx, invoice.merchantId, invoice.payerId, invoice.currency),
      currency: invoice.currency,
      usesBalance: invoice.kind !== 'credits',
    });
    return settlement.line;
  }

  /** A voided invoice gives back the balance it applied (an invoice that carried one closed at zero, paid). */
  async invoiceVoided(tx: EntityManager, invoice: InvoiceEntity): Promise<void> {
    const entries = await this.balances.entriesOf(tx, invoice.merchantId, invoice.id);
    const applied = entries.find((entry) => entry.kind === 'applied');
    if (!applied) return;
    await this.balances.lock(tx, invoice.merchantId, invoice.payerId, invoice.currency);
    await this.balances.append(tx, {
      merchantId: invoice.merchantId,
      invoiceId: invoice.id,
      kind: 'restored',
      payerId: invoice.payerId,
      currency: invoice.currency,
      amount: moneyText(decimalText(new ExactDecimal(applied.amount).negated()), invoice.currency),
    });
  }
}
