import { Injectable } from '@nestjs/common';
import { signWebhook } from './domain/signing.js';
import type { WebhookDeliveryStatus } from './webhook-delivery.entity.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { WebhookEventsRepository } from './webhook-events.repository.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { presentEvent } from './webhooks.presenter.js';
import { WebhookSender } from './webhook-sender.js';
import { webhookDeliveries } from '../observability/meters.js';
import type {
  AttemptInput,
  AttemptResult,
  DeliveryOutcome,
} from '../../workflows/contracts/webhook-delivery.contract.js';

/**
 * One delivery attempt: sign the event's body with the endpoint's current secrets, POST it, and
 * record the attempt with the delivery's new state. A receiver's answer is a result, never an
 * exception; exceptions here are faults (the database) for the activity's retries.
 */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly sender: WebhookSender,
    private readonly secrets: WebhookSecrets,
  ) {}

  async attempt(input: AttemptInput): Promise<AttemptResult> {
    const { merchantId, eventId, endpointId } = input;
    const [event, endpoint] = await Promise.all([
      this.events.findEvent(merchantId, eventId),
      this.endpoints.find(merchantId, endpointId),
    ]);
    if (!event || !endpoint || endpoint.status !== 'enabled') {
      webhookDeliveries.inc({ outcome: 'skipped' });
      await this.events.markSkipped(merchantId, eventId, endpointId);
      return { outcome: 'skipped', attempt: null, statusCode: null };
    }
    const now = new Date();
    // Opened here, for this signature only (a key missing from the keyring fails the attempt as a fault).
    const secrets = [this.secrets.open(endpoint.secret)];
    if (
      endpoint.previousSecret &&
      endpoint.previousSecretExpiresAt &&
      endpoint.previousSecretExpiresAt > now
    ) {
      secrets.push(this.secrets.open(endpoint.previousSecret));
    }
    const body = JSON.stringify(presentEvent(event));
    const headers = signWebhook(secrets, event.id, now, body);
    const sent = await this.sender.send(endpoint.url, { ...headers }, body);

    const succeeded = sent.statusCode !== null && sent.statusCode >= 200 && sent.statusCode < 300;
    const gone = sent.statusCode === 410;
    const outcome: DeliveryOutcome = succeeded
      ? 'succeeded'
      : gone || input.nextDelayMs === null
        ? 'failed'
        : 'retrying';
    const deliveryStatus: WebhookDeliveryStatus = outcome === 'retrying' ? 'pending' : outcome;
    const attempt = await this.events.recordAttempt({
      merchantId,
      eventId,
      endpointId,
      attemptedAt: now,
      statusCode: sent.statusCode,
      durationMs: sent.durationMs,
      responseBody: sent.responseBody,
      error: gone ? 'the receiver answered 410 Gone: the endpoint is now disabled' : sent.error,
      succeeded,
      deliveryStatus,
      nextAttemptAt: outcome === 'retrying' ? new Date(Date.now() + input.nextDelayMs!) : null,
      disableEndpoint: gone,
    });
    webhookDeliveries.inc({ outcome });
    return { outcome, attempt, statusCode: sent.statusCode };
  }
}
