import {
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  attemptNowSignal,
  webhookTaskQueue,
  type DeliveryOutcome,
  type WebhookActivities,
  type WebhookDeliveryInput,
} from './contracts/webhook-delivery.contract.js';
import { TallyStatus } from './search-attributes.js';
import { retryTransientFaults } from './contracts/failures.js';
import { failingVisibly } from './failing-visibly.js';
import { sleepUntil } from './sleep-until.js';

const REDELIVER_AFTER_ATTEMPT = 'redeliver-after-attempt';
/** Attempts on the webhook task queue. (Patched: histories recorded before this ran them on the main one.) */
const OWN_TASK_QUEUE = 'webhook-attempts-own-task-queue';

function deliveryActivities(): WebhookActivities {
  const { taskQueue } = workflowInfo();
  return proxyActivities<WebhookActivities>({
    taskQueue: patched(OWN_TASK_QUEUE) ? webhookTaskQueue(taskQueue) : taskQueue,
    // The HTTP exchange has its own 10 s limit; the rest is two small transactions.
    startToCloseTimeout: '1 minute',
    // The worker heartbeats while an attempt runs: one killed mid-attempt is noticed in seconds.
    heartbeatTimeout: '10 seconds',
    // For faults only (the database restarting): a receiver's answer is a result, not a failure.
    retry: retryTransientFaults({ initialInterval: '1 second', maximumInterval: '1 minute' }),
  });
}

/**
 * One event to one endpoint (`webhook/evt_…/we_…`): attempt, and after a failure wait out the
 * next delay of the schedule on a durable timer, until a 2xx, a 410, or the schedule runs out.
 */
async function deliveryAttempts(input: WebhookDeliveryInput): Promise<DeliveryOutcome> {
  const { deliverWebhook } = deliveryActivities();
  let attemptNow = false;
  setHandler(attemptNowSignal, () => {
    attemptNow = true;
  });
  for (let retry = 0; ; retry += 1) {
    attemptNow = false;
    const nextDelayMs = input.retryScheduleMs[retry] ?? null;
    const { outcome } = await deliverWebhook({
      merchantId: input.merchantId,
      eventId: input.eventId,
      endpointId: input.endpointId,
      nextDelayMs,
    });
    upsertSearchAttributes([{ key: TallyStatus, value: outcome }]);
    // A redelivery asked for while this attempt ran is not lost to its outcome: attempt again.
    // (Patched: histories recorded before this ended here.)
    if (attemptNow && patched(REDELIVER_AFTER_ATTEMPT)) continue;
    if (outcome !== 'retrying' || nextDelayMs === null) return outcome;
    await sleepUntil(Date.now() + nextDelayMs, () => attemptNow);
  }
}

/** The workflow: deliveryAttempts run so that a step that cannot succeed ends it visibly. */
export async function webhookDelivery(input: WebhookDeliveryInput): Promise<DeliveryOutcome> {
  return failingVisibly(() => deliveryAttempts(input));
}
