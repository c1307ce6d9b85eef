import type { AttemptInput, WebhookDeliveryService } from '../src/webhooks/webhook-delivery.service.js';

/** Webhook delivery's step: one attempt at one endpoint. */
export function webhookActivities(delivery: WebhookDeliveryService) {
  return {
    deliverWebhook: (input: AttemptInput) => delivery.attempt(input),
  };
}

export type WebhookActivities = ReturnType<typeof webhookActivities>;
