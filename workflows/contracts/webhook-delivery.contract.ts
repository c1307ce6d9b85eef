import { defineSignal } from '@temporalio/workflow';
import { TallyCustomerId, TallyMerchantId, TallyStatus } from '../search-attributes.js';

/** The webhook delivery workflow (`webhookDelivery`): its input, step, signal and start options. */

export interface WebhookDeliveryInput {
  merchantId: string;
  eventId: string;
  endpointId: string;
  /** The wait before each retry; its length is the number of retries after the first attempt. */
  retryScheduleMs: number[];
}

export interface AttemptInput {
  merchantId: string;
  eventId: string;
  endpointId: string;
  /** When the next attempt will run if this one fails; null when this is the last. */
  nextDelayMs: number | null;
}

/** `retrying`: failed, another attempt follows after `nextDelayMs`; `failed`: no more attempts. */
export type DeliveryOutcome = 'succeeded' | 'retrying' | 'failed' | 'skipped';

export interface AttemptResult {
  outcome: DeliveryOutcome;
  attempt: number | null;
  statusCode: number | null;
}

/** Webhook delivery's step (activity). */
export interface WebhookActivities {
  deliverWebhook(input: AttemptInput): Promise<AttemptResult>;
}

/** Attempt now instead of waiting out the current backoff (a redelivery asked for through the API). */
export const attemptNowSignal = defineSignal('attemptNow');

/**
 * Webhook attempts run on a task queue of their own beside the worker's main one: an attempt may
 * wait out a receiver's timeout, and a flood of them must not take the slots billing runs in.
 */
export function webhookTaskQueue(taskQueue: string): string {
  return `${taskQueue}/webhooks`;
}

export function deliveryWorkflowId(eventId: string, endpointId: string): string {
  return `webhook/${eventId}/${endpointId}`;
}

export function deliveryWorkflowStart(delivery: {
  merchantId: string;
  eventId: string;
  endpointId: string;
  payerId: string | null;
}) {
  return {
    workflowId: deliveryWorkflowId(delivery.eventId, delivery.endpointId),
    typedSearchAttributes: [
      { key: TallyMerchantId, value: delivery.merchantId },
      { key: TallyStatus, value: 'delivering' },
      ...(delivery.payerId ? [{ key: TallyCustomerId, value: delivery.payerId }] : []),
    ],
    staticSummary: `Deliver webhook event ${delivery.eventId} to endpoint ${delivery.endpointId}`,
  };
}
