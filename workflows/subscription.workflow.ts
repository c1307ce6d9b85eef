import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { invoiceWorkflowStart, type InvoiceWorkflowInput } from './contracts/invoice.contract.js';
import {
  billNowUpdate,
  cancelNowSignal,
  planChangedSignal,
  type SubscriptionActivities,
  type SubscriptionCycleInput,
  type SubscriptionCycleState,
  subscriptionStateQuery,
  usageUpdatedSignal,
} from './contracts/subscription.contract.js';
import { invoiceLifecycle } from './invoice.workflow.js';
import { TallyCustomerId, TallyStatus } from './search-attributes.js';
import { retryTransientFaults } from './contracts/failures.js';
import { failingVisibly } from './failing-visibly.js';
import { sleepUntil } from './sleep-until.js';

const { openPeriod, checkUsage, billOverage, recordSubscriptionFailure } =
  proxyActivities<SubscriptionActivities>({
    startToCloseTimeout: '2 minutes',
    retry: retryTransientFaults({ initialInterval: '1 second', maximumInterval: '1 minute' }),
  });

/**
 * The actor for one subscription (`subscription/sub_…`): at each period start it invoices the
 * base fee, while the period runs it reports usage and announces overage, at the end it invoices
 * the overage; invoices run as child workflows (`invoice/inv_…`) that outlive the period.
 */
async function periodSteps(input: SubscriptionCycleInput): Promise<void> {
  const ref = {
    merchantId: input.merchantId,
    subscriptionId: input.subscriptionId,
    index: input.periodIndex,
  };
  const state: SubscriptionCycleState = {
    periodIndex: input.periodIndex,
    periodStart: null,
    periodEnd: null,
    nextInvoiceAt: null,
    usage: [],
    invoices: [],
    canceling: false,
    planChangePending: false,
  };
  let cancelNow = false;
  let usageDirty = false;
  let busy = false;
  const exclusive = async <T>(step: () => Promise<T>): Promise<T> => {
    await condition(() => !busy);
    busy = true;
    try {
      return await step();
    } finally {
      busy = false;
    }
  };
  const startInvoice = async (invoiceId: string, customerId: string) => {
    const invoice: InvoiceWorkflowInput = {
      merchantId: input.merchantId,
      invoiceId,
      retryIntervalMs: input.retryIntervalMs,
      maxRetries: input.maxRetries,
    };
    state.invoices.push(invoiceId);
    try {
      await startChild(invoiceLifecycle, {
        ...invoiceWorkflowStart({ merchantId: input.merchantId, invoiceId, payerId: customerId }),
        args: [invoice],
        // The invoice collects (retries for days) after this period's run has continued as new.
        parentClosePolicy: 'ABANDON',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  };

  setHandler(subscriptionStateQuery, () => state);
  setHandler(cancelNowSignal, () => {
    cancelNow = true;
    state.canceling = true;
  });
  setHandler(planChangedSignal, () => {
    state.planChangePending = true;
    upsertMemo({ planChangePending: true });
  });
  setHandler(usageUpdatedSignal, () => {
    usageDirty = true;
  });

  const period = await exclusive(() => openPeriod(ref));
  if (period.ended) {
    upsertSearchAttributes([{ key: TallyStatus, value: 'canceled' }]);
    return;
  }
  state.periodStart = new Date(period.startMs).toISOString();
  state.periodEnd = state.nextInvoiceAt = new Date(period.endMs).toISOString();
  upsertSearchAttributes([
    { key: TallyStatus, value: 'active' },
    { key: TallyCustomerId, value: period.customerId },
  ]);
  upsertMemo({
    currentPeriod: { index: period.index, start: state.periodStart, end: state.periodEnd },
    nextInvoiceAt: state.nextInvoiceAt,
  });
  if (period.baseInvoiceId) await startInvoice(period.baseInvoiceId, period.customerId);

  setHandler(billNowUpdate, () =>
    exclusive(async () => {
      const billed = await billOverage({ ...ref, cutoffMs: Date.now(), final: false });
      if (billed.overageInvoiceId) await startInvoice(billed.overageInvoiceId, period.customerId);
      return billed.overageInvoiceId;
    }),
  );

  // Snapshots run on the live clock only: a period that ended before this run began (catching up) has none.
  let nextSnapshot = Math.max(period.startMs, Date.now()) + input.usageSnapshotMs;
  state.usage = await exclusive(() => checkUsage({ ...ref, snapshot: false }));
  while (!cancelNow && Date.now() < period.endMs) {
    const wakeAt = Math.min(period.endMs, nextSnapshot);
    await sleepUntil(wakeAt, () => cancelNow || usageDirty);
    if (cancelNow || Date.now() >= period.endMs) break;
    const snapshot = Date.now() >= nextSnapshot;
    if (snapshot) nextSnapshot += input.usageSnapshotMs;
    if (snapshot || usageDirty) {
      usageDirty = false;
      state.usage = await exclusive(() => checkUsage({ ...ref, snapshot }));
    }
  }

  const closed = await exclusive(() =>
    billOverage({ ...ref, cutoffMs: cancelNow ? Date.now() : period.endMs, final: true }),
  );
  if (closed.overageInvoiceId) await startInvoice(closed.overageInvoiceId, period.customerId);
  await condition(allHandlersFinished);
  if (!closed.continues) {
    upsertSearchAttributes([{ key: TallyStatus, value: 'canceled' }]);
    return;
  }
  await continueAsNew<typeof subscriptionCycle>({ ...input, periodIndex: input.periodIndex + 1 });
}

/** The workflow: periodSteps run so that a step that cannot succeed ends it visibly. */
export async function subscriptionCycle(input: SubscriptionCycleInput): Promise<void> {
  const ref = {
    merchantId: input.merchantId,
    subscriptionId: input.subscriptionId,
    index: input.periodIndex,
  };
  return failingVisibly(
    () => periodSteps(input),
    (failure) => recordSubscriptionFailure(ref, failure),
  );
}
