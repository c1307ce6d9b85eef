import { Context } from '@temporalio/activity';
import type { InvoiceCollectionService } from '../src/invoicing/invoice-collection.service.js';
import type { InvoiceActivities } from '../workflows/contracts/invoice.contract.js';

/**
 * Heartbeats while `work` runs, so that a worker that dies mid-step is noticed within the
 * activity's heartbeat timeout (seconds) rather than its start-to-close timeout (minutes).
 */
async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(), 1000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** The invoice workflow's steps, bound to the service that does them. */
export function invoiceActivities(collection: InvoiceCollectionService): InvoiceActivities {
  return {
    issueInvoice: (ids) => heartbeating(() => collection.issue(ids.merchantId, ids.invoiceId)),
    chargeInvoice: (input) => heartbeating(() => collection.charge(input)),
    voidInvoice: (ids) => collection.void(ids.merchantId, ids.invoiceId),
    recordInvoiceFailure: (ids, failure) =>
      collection.recordWorkflowFailure(ids.merchantId, ids.invoiceId, failure),
  };
}
