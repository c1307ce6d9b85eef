import type { WebhookDeliveryService } from '../src/webhooks/webhook-delivery.service.js';
import type { WebhookActivities } from '../workflows/contracts/webhook-delivery.contract.js';

/** Webhook delivery's step: one attempt at one endpoint. */
export function webhookActivities(delivery: WebhookDeliveryService): WebhookActivities {
  return {
    deliverWebhook: (input) => delivery.attempt(input),
  };
}
