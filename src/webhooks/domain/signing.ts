import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new endpoint secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The Standard Webhooks headers for one send of `body`. Every secret still valid signs (after
 * a rotation, the old and the new), space-separated, so receivers on either secret verify it.
 */
export function signWebhook(
  secrets: readonly string[],
  messageId: string,
  sentAt: Date,
  body: string,
): SignedHeaders {
  if (secrets.length === 0) throw new Error('signWebhook needs at least one secret');
  const timestamp = new Date(Math.floor(sentAt.getTime() / 1000) * 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': secrets
      .map((secret) => new Webhook(secret).sign(messageId, timestamp, body))
      .join(' '),
  };
}

/** The last four characters, for showing a secret after creation without revealing it. */
export function maskSecret(secret: string): string {
  return `whsec_…${secret.slice(-4)}`;
}
