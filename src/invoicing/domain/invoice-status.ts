/**
 * An invoice's life: a draft is built (usage) or filled by hand (manual lines), issued as
 * `open` with a number, then `paid`, `void`, or `uncollectible` once its charge retries are spent
 * (an uncollectible invoice can still be paid or voided by an operator).
 */
export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void', 'uncollectible'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const COLLECTION_METHODS = ['auto_charge', 'send_invoice'] as const;
export type CollectionMethod = (typeof COLLECTION_METHODS)[number];

/** Whether a charge may be attempted (by the schedule or an operator's `pay`). */
export function isPayable(status: InvoiceStatus): boolean {
  switch (status) {
    case 'open':
    case 'uncollectible':
      return true;
    case 'draft':
    case 'paid':
    case 'void':
      return false;
  }
}

/** Whether the invoice may be voided: anything not paid and not already void. */
export function isVoidable(status: InvoiceStatus): boolean {
  switch (status) {
    case 'draft':
    case 'open':
    case 'uncollectible':
      return true;
    case 'paid':
    case 'void':
      return false;
  }
}

export interface InvoiceActionRefusal {
  code: 'invoice_not_payable' | 'invoice_not_voidable';
  message: string;
}

/** Why `pay` cannot act on an invoice in this status, or null when it can: the API and the workflow both ask. */
export function payRefusal(invoiceId: string, status: InvoiceStatus): InvoiceActionRefusal | null {
  if (isPayable(status)) return null;
  return {
    code: 'invoice_not_payable',
    message: `Invoice ${invoiceId} is ${status}; only open or uncollectible invoices can be paid.`,
  };
}

/** Why `void` cannot act on an invoice in this status, or null when it can. */
export function voidRefusal(invoiceId: string, status: InvoiceStatus): InvoiceActionRefusal | null {
  if (isVoidable(status)) return null;
  return { code: 'invoice_not_voidable', message: `Invoice ${invoiceId} is ${status} and cannot be voided.` };
}

/** No further change can happen: the invoice's workflow may finish. */
export function isFinal(status: InvoiceStatus): boolean {
  return status === 'paid' || status === 'void';
}

/** The invoice number a merchant's n-th issued invoice gets. */
export function invoiceNumber(sequence: number): string {
  return `INV-${String(sequence).padStart(6, '0')}`;
}
