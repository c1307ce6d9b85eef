import {
  ALL_EVENTS,
  isSubscribed,
  isWebhookEventType,
  unknownEventTypes,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from './event-types.js';

describe('WEBHOOK_EVENT_TYPES', () => {
  it('lists the seven billing events, billing.charge.failed and billing.event.corrected, each once', () => {
    expect([...WEBHOOK_EVENT_TYPES].sort()).toEqual([
      'billing.charge.failed',
      'billing.charge.succeeded',
      'billing.credits_expiration',
      'billing.credits_usage',
      'billing.event.corrected',
      'billing.invoice.generated',
      'billing.subscriber_overage',
      'billing.subscriber_usage',
      'billing.threshold.approaching',
    ]);
  });

  it('does not contain the "*" wildcard', () => {
    expect(ALL_EVENTS).toBe('*');
    expect(WEBHOOK_EVENT_TYPES).not.toContain(ALL_EVENTS);
  });
});

describe('isWebhookEventType', () => {
  it.each(WEBHOOK_EVENT_TYPES)('accepts %s', (type) => {
    expect(isWebhookEventType(type)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['the wildcard', '*'],
    ['an unknown type', 'billing.charge.refunded'],
    ['a prefix of a type', 'billing.charge'],
    ['a different case', 'BILLING.CHARGE.FAILED'],
    ['surrounding spaces', ' billing.charge.failed '],
    ['an empty string', ''],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an array holding a type', ['billing.charge.failed']],
  ])('rejects %s', (_label, value) => {
    expect(isWebhookEventType(value)).toBe(false);
  });
});

describe('unknownEventTypes', () => {
  it('answers nothing for known types and the wildcard', () => {
    expect(unknownEventTypes(['*', 'billing.charge.failed', 'billing.invoice.generated'])).toEqual([]);
    expect(unknownEventTypes([])).toEqual([]);
  });

  it('answers the unknown entries in their order, duplicates included', () => {
    expect(
      unknownEventTypes([
        'billing.nope',
        'billing.charge.failed',
        '**',
        'billing.nope',
        'Billing.Charge.Failed',
      ]),
    ).toEqual(['billing.nope', '**', 'billing.nope', 'Billing.Charge.Failed']);
  });
});

describe('isSubscribed', () => {
  it('subscribes an endpoint to the types it lists and no others', () => {
    const enabled = ['billing.charge.failed', 'billing.invoice.generated'];
    expect(isSubscribed(enabled, 'billing.charge.failed')).toBe(true);
    expect(isSubscribed(enabled, 'billing.invoice.generated')).toBe(true);
    expect(isSubscribed(enabled, 'billing.charge.succeeded')).toBe(false);
  });

  it.each(WEBHOOK_EVENT_TYPES)('subscribes "*" to %s', (type) => {
    expect(isSubscribed(['*'], type)).toBe(true);
    expect(isSubscribed(['billing.credits_usage', '*'], type)).toBe(true);
  });

  it('subscribes an empty list to nothing', () => {
    for (const type of WEBHOOK_EVENT_TYPES) expect(isSubscribed([], type)).toBe(false);
  });

  it('matches whole types only, not prefixes or patterns', () => {
    const type: WebhookEventType = 'billing.charge.failed';
    expect(isSubscribed(['billing.charge'], type)).toBe(false);
    expect(isSubscribed(['billing.*'], type)).toBe(false);
    expect(isSubscribed(['billing.charge.*'], type)).toBe(false);
  });
});
