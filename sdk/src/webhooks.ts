import { Webhook } from 'standardwebhooks';
import { TallyWebhookVerificationError } from './errors.js';
import type { components } from './generated/openapi.js';

/** The body of a webhook Tally sends: the webhook event (as GET /v1/webhook_events/{id} shows it, without deliveries). */
export type WebhookEventPayload = components['schemas']['WebhookEvent'];

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

const SIGNED = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

function signedHeaders(headers: WebhookHeaders): Record<string, string> {
  const read = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : headers[key];
    return Array.isArray(value) ? value.join(' ') : value;
  };
  return Object.fromEntries(SIGNED.map((name) => [name, read(name) ?? '']));
}

/**
 * Checks a webhook's Standard Webhooks signature and timestamp (5 minutes of tolerance) against the
 * endpoint's secret (`whsec_…`; during a rotation, either secret) and answers the parsed event.
 * `body` must be the raw text received, not re-serialised JSON.
 */
export function verifyWebhook(
  body: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string | readonly string[],
): WebhookEventPayload {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  const payload = typeof body === 'string' ? body : new TextDecoder().decode(body);
  const signed = signedHeaders(headers);
  let lastError: unknown;
  for (const candidate of secrets) {
    try {
      return new Webhook(candidate).verify(payload, signed) as WebhookEventPayload;
    } catch (error) {
      lastError = error;
    }
  }
  throw new TallyWebhookVerificationError(
    `The webhook does not verify: ${(lastError as Error | undefined)?.message ?? 'no secret given'}.`,
  );
}
