import { ExactDecimal } from '../common/money/decimal.js';
import type { ChargeEntity } from './charge.entity.js';
import { moneyText } from './domain/invoice-totals.js';
import type { InvoiceLineEntity } from './invoice-line.entity.js';
import type { InvoiceEntity } from './invoice.entity.js';
import type { Charge, Invoice, InvoiceLineItem } from './dto/invoice-resource.dto.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function presentLine(line: InvoiceLineEntity, currency: string): InvoiceLineItem {
  return {
    id: line.id,
    object: 'invoice_line_item' as const,
    invoice: line.invoiceId,
    kind: line.kind,
    metric: line.metricId,
    description: line.description,
    quantity: new ExactDecimal(line.quantity).toFixed(),
    unit_amount: line.unitAmount === null ? null : new ExactDecimal(line.unitAmount).toFixed(),
    amount: moneyText(line.amount, currency),
    tiers: line.tiers,
    period_start: iso(line.periodStart),
    period_end: iso(line.periodEnd),
  };
}

export function presentInvoice(invoice: InvoiceEntity, lines: InvoiceLineEntity[]): Invoice {
  const money = (amount: string) => moneyText(amount, invoice.currency);
  const settled = invoice.status === 'void' || invoice.status === 'paid';
  return {
    id: invoice.id,
    object: 'invoice' as const,
    number: invoice.number,
    ...(invoice.payerKind === 'customer' ? { customer: invoice.payerId } : { account: invoice.payerId }),
    kind: invoice.kind,
    status: invoice.status,
    collection_method: invoice.collectionMethod,
    payment_method: invoice.paymentMethodId,
    currency: invoice.currency,
    period_start: iso(invoice.periodStart),
    period_end: iso(invoice.periodEnd),
    description: invoice.description,
    metadata: invoice.metadata,
    lines: {
      object: 'list' as const,
      data: lines.map((line) => presentLine(line, invoice.currency)),
      has_more: false,
    },
    total: money(invoice.total),
    amount_paid: money(invoice.amountPaid),
    amount_due: settled
      ? money('0')
      : money(new ExactDecimal(invoice.total).minus(invoice.amountPaid).toFixed()),
    attempt_count: invoice.attemptCount,
    next_payment_attempt: iso(invoice.nextPaymentAttempt),
    created: invoice.createdAt.toISOString(),
    issued_at: iso(invoice.issuedAt),
    paid_at: iso(invoice.paidAt),
    voided_at: iso(invoice.voidedAt),
    workflow_failure: invoice.workflowFailure ?? null,
  };
}

export function presentCharge(charge: ChargeEntity): Charge {
  return {
    id: charge.id,
    object: 'charge' as const,
    invoice: charge.invoiceId,
    attempt: charge.attempt,
    status: charge.status,
    amount: moneyText(charge.amount, charge.currency),
    currency: charge.currency,
    payment_method: charge.paymentMethodId,
    failure_code: charge.failureCode,
    failure_message: charge.failureMessage,
    created: charge.createdAt.toISOString(),
  };
}
