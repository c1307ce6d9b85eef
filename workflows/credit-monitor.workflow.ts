import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  type CreditActivities,
  type CreditMonitorInput,
  type CreditMonitorState,
  creditMonitorStateQuery,
  creditsChangedSignal,
} from './contracts/credit-monitor.contract.js';
import { retryTransientFaults } from './contracts/failures.js';
import { failingVisibly } from './failing-visibly.js';
import { sleepUntil } from './sleep-until.js';

const { reviewCredits } = proxyActivities<CreditActivities>({
  startToCloseTimeout: '2 minutes',
  retry: retryTransientFaults({ initialInterval: '1 second', maximumInterval: '1 minute' }),
});

/** Reviews per run before the history is handed to a fresh run. */
const REVIEWS_PER_RUN = 200;

/**
 * The credit monitor of one prepaid payer (`credits/cus_…`): whenever its credits change (a
 * signal from the rollup or the API), when an expiry or its warning falls due (a durable timer),
 * and at least every `recheckMs`, it reviews them: expiration warnings, expiries, the threshold
 * and depletion notices, the auto top-up. Each review is one idempotent activity at the
 * workflow's time, so replays and time skipping agree.
 */
async function creditReviews(input: CreditMonitorInput, carried?: CreditMonitorState): Promise<void> {
  const state: CreditMonitorState = carried ?? { reviews: 0, lastReviewAt: null, nextDueAt: null };
  let changed = true;
  setHandler(creditsChangedSignal, () => {
    changed = true;
  });
  setHandler(creditMonitorStateQuery, () => state);

  for (let run = 0; run < REVIEWS_PER_RUN && !workflowInfo().continueAsNewSuggested; run += 1) {
    changed = false;
    const review = await reviewCredits({
      merchantId: input.merchantId,
      payerId: input.payerId,
      asOfMs: Date.now(),
      expirationWarningMs: input.expirationWarningMs,
    });
    state.reviews += 1;
    state.lastReviewAt = new Date(Date.now()).toISOString();
    state.nextDueAt = review.nextDueMs === null ? null : new Date(review.nextDueMs).toISOString();
    const wakeAt = Math.min(review.nextDueMs ?? Infinity, Date.now() + input.recheckMs);
    await sleepUntil(wakeAt, () => changed);
  }
  await continueAsNew<typeof creditMonitor>(input, state);
}

/** The workflow: creditReviews run so that a step that cannot succeed ends it visibly. */
export async function creditMonitor(input: CreditMonitorInput, carried?: CreditMonitorState): Promise<void> {
  return failingVisibly(() => creditReviews(input, carried));
}
