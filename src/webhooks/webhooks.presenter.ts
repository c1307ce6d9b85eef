import { maskSecret } from './domain/signing.js';
import type { WebhookEndpoint } from './dto/webhook-endpoint-resource.dto.js';
import type {
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookEvent,
} from './dto/webhook-event-resource.dto.js';
import type { WebhookDeliveryAttemptEntity } from './webhook-delivery-attempt.entity.js';
import type { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import type { WebhookEventEntity } from './webhook-event.entity.js';

/**
 * An endpoint, given its opened secret (the row holds it sealed); the secret in full only when
 * `revealSecret` (at creation and rotation), else its last four characters.
 */
export function presentEndpoint(
  endpoint: WebhookEndpointEntity,
  secret: string,
  revealSecret = false,
): WebhookEndpoint {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint' as const,
    url: endpoint.url,
    description: endpoint.description,
    enabled_events: endpoint.enabledEvents,
    status: endpoint.status,
    disabled_reason: endpoint.disabledReason,
    secret: revealSecret ? secret : maskSecret(secret),
    previous_secret_expires_at:
      endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date()
        ? endpoint.previousSecretExpiresAt.toISOString()
        : null,
    created: endpoint.createdAt.toISOString(),
    updated: endpoint.updatedAt.toISOString(),
  };
}

/** An event as receivers get it (the signed body) and as the API lists it. */
export function presentEvent(event: WebhookEventEntity): WebhookEvent {
  return {
    id: event.id,
    object: 'event' as const,
    type: event.type,
    created: event.createdAt.toISOString(),
    data: { object: event.object },
  };
}

export function presentDelivery(delivery: WebhookDeliveryEntity): WebhookDelivery {
  return {
    endpoint: delivery.endpointId,
    status: delivery.status,
    attempt_count: delivery.attemptCount,
    last_attempt_at: delivery.lastAttemptAt?.toISOString() ?? null,
    next_attempt_at: delivery.nextAttemptAt?.toISOString() ?? null,
  };
}

export function presentAttempt(attempt: WebhookDeliveryAttemptEntity): WebhookDeliveryAttempt {
  return {
    id: attempt.id,
    object: 'webhook_delivery_attempt' as const,
    event: attempt.eventId,
    endpoint: attempt.endpointId,
    attempt: attempt.attempt,
    attempted_at: attempt.attemptedAt.toISOString(),
    status_code: attempt.statusCode,
    duration_ms: attempt.durationMs,
    response_body: attempt.responseBody,
    error: attempt.error,
    succeeded: attempt.succeeded,
  };
}
