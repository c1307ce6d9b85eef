import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  type InvoiceActivities,
  type InvoiceSnapshot,
  invoiceStateQuery,
  type InvoiceWorkflowInput,
  payUpdate,
  type PayRequest,
  voidUpdate,
} from './contracts/invoice.contract.js';
import {
  type InvoiceActionRefusal,
  type InvoiceStatus,
  payRefusal,
  voidRefusal,
} from '../src/invoicing/domain/invoice-status.js';
import { TallyStatus } from './search-attributes.js';
import { retryTransientFaults } from './contracts/failures.js';
import { failingVisibly } from './failing-visibly.js';
import { sleepUntil } from './sleep-until.js';

const { issueInvoice, chargeInvoice, voidInvoice, recordInvoiceFailure } = proxyActivities<InvoiceActivities>(
  {
    // The gateway call and two short transactions; a lost worker's attempt is retried with the same
    // key once its heartbeats stop.
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '5 seconds',
    retry: retryTransientFaults({ initialInterval: '1 second', maximumInterval: '1 minute' }),
  },
);

/**
 * One invoice (`invoice/inv_…`), from draft to paid or void: issue it (usage invoices are built
 * here), then for auto_charge charge it, and after a decline retry on durable timers
 * (`maxRetries` times, `retryIntervalMs` apart) before it becomes uncollectible. Until the
 * invoice is paid or void it answers `pay` and `void`, one step at a time.
 */
async function invoiceSteps(input: InvoiceWorkflowInput): Promise<InvoiceSnapshot> {
  const ids = { merchantId: input.merchantId, invoiceId: input.invoiceId };
  let state: InvoiceSnapshot | null = null;
  let busy = false;
  let issuing = true;
  const exclusive = async <T>(step: () => Promise<T>, first = false): Promise<T> => {
    await condition(() => !busy && (first || !issuing));
    busy = true;
    try {
      return await step();
    } finally {
      busy = false;
    }
  };
  const settle = (next: InvoiceSnapshot) => {
    state = next;
    upsertSearchAttributes([{ key: TallyStatus, value: next.status }]);
    return next;
  };

  setHandler(invoiceStateQuery, () => state);
  // Operator actions wait for the invoice to be issued and for any charge in flight, then act
  // on the state they find; an action that no longer applies fails the update (a 409), not the workflow.
  // Each action is refused before it is accepted when the state already rules it out (a validator),
  // and again when it gets its turn, since a charge in flight may have moved the state meanwhile.
  const refuse = (refusal: InvoiceActionRefusal | null) => {
    if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.code);
  };
  const refuseUnlessIssuing = (check: (status: InvoiceStatus) => InvoiceActionRefusal | null) => {
    if (state) refuse(check(state.status));
  };
  const payCheck = (status: InvoiceStatus) => payRefusal(input.invoiceId, status);
  const voidCheck = (status: InvoiceStatus) => voidRefusal(input.invoiceId, status);
  setHandler(
    payUpdate,
    (request) =>
      exclusive(async () => {
        refuse(payCheck(state!.status));
        const result = await chargeInvoice({
          ...ids,
          attempt: state!.attemptCount + 1,
          paymentMethodId: request.paymentMethodId ?? null,
          retryDelayMs: null,
          final: false,
        });
        settle(result.invoice);
        return result;
      }),
    { validator: (_request: PayRequest) => refuseUnlessIssuing(payCheck) },
  );
  setHandler(
    voidUpdate,
    () =>
      exclusive(async () => {
        refuse(voidCheck(state!.status));
        return settle(await voidInvoice(ids));
      }),
    { validator: () => refuseUnlessIssuing(voidCheck) },
  );

  await exclusive(async () => settle(await issueInvoice(ids)), true);
  issuing = false;

  if (state!.collectionMethod === 'auto_charge') {
    for (let retry = 0; retry <= input.maxRetries; retry += 1) {
      const final = retry === input.maxRetries;
      await exclusive(async () => {
        if (state!.status !== 'open') return;
        const result = await chargeInvoice({
          ...ids,
          attempt: state!.attemptCount + 1,
          retryDelayMs: final ? null : input.retryIntervalMs,
          final,
        });
        settle(result.invoice);
      });
      if (state!.status !== 'open' || final) break;
      // A durable timer: the next scheduled attempt, unless an operator pays or voids first.
      await sleepUntil(Date.now() + input.retryIntervalMs, () => state!.status !== 'open');
    }
  }

  // Open (send_invoice) or uncollectible invoices still take `pay` and `void`.
  await condition(() => state!.status === 'paid' || state!.status === 'void');
  await condition(allHandlersFinished);
  return state!;
}

/** The workflow: invoiceSteps run so that a step that cannot succeed ends it visibly. */
export async function invoiceLifecycle(input: InvoiceWorkflowInput): Promise<InvoiceSnapshot> {
  const ids = { merchantId: input.merchantId, invoiceId: input.invoiceId };
  return failingVisibly(
    () => invoiceSteps(input),
    (failure) => recordInvoiceFailure(ids, failure),
  );
}
