/**
 * The webhook event types Tally sends: the seven billing events, plus `billing.charge.failed`
 * (every failed charge attempt, with its attempt number and whether a retry is scheduled) and
 * `billing.event.corrected` (a usage event voided or amended, with its versions).
 */
export const WEBHOOK_EVENT_TYPES = [
  'billing.subscriber_overage',
  'billing.subscriber_usage',
  'billing.credits_usage',
  'billing.credits_expiration',
  'billing.threshold.approaching',
  'billing.invoice.generated',
  'billing.charge.succeeded',
  'billing.charge.failed',
  'billing.event.corrected',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** `enabled_events: ["*"]` subscribes an endpoint to every type, including types added later. */
export const ALL_EVENTS = '*';

/** What `enabled_events` may hold: any event type, or `"*"`. */
export const ENABLED_EVENT_VALUES: readonly string[] = [...WEBHOOK_EVENT_TYPES, ALL_EVENTS];

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** The entries of `enabled_events` that are neither a known type nor "*". */
export function unknownEventTypes(enabledEvents: readonly string[]): string[] {
  return enabledEvents.filter((type) => type !== ALL_EVENTS && !isWebhookEventType(type));
}

export function isSubscribed(enabledEvents: readonly string[], type: WebhookEventType): boolean {
  return enabledEvents.includes(ALL_EVENTS) || enabledEvents.includes(type);
}
