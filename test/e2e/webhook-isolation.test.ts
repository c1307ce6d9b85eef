import { DataSource } from 'typeorm';
import { WebhookEmitter } from '../../src/webhooks/webhook-emitter.js';
import { createMerchant, eventually, useTestStack } from '../support/test-stack.js';
import { caller, customerWithCard, manualDraft, type Call } from '../support/billing-fixtures.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const RECEIVER_TIMEOUT_MS = 8_000;

describe('webhook attempts run on a task queue of their own: slow receivers never hold up billing', () => {
  const stack = useTestStack({
    worker: true,
    config: {
      // Few slots on both queues, so that hanging attempts would take every slot billing has if
      // they shared its queue.
      WORKER_ACTIVITY_CONCURRENCY: '4',
      WEBHOOK_DELIVERY_CONCURRENCY: '2',
      WEBHOOK_TIMEOUT_MS: String(RECEIVER_TIMEOUT_MS),
      WEBHOOK_RETRY_SCHEDULE: '1s',
      LOG_LEVEL: 'warn',
    },
  });
  const receiver = new WebhookReceiver();
  let merchant: { id: string; key: string };
  let call: Call;

  beforeAll(async () => {
    await receiver.start();
    merchant = await createMerchant(stack.api.baseUrl);
    call = caller(stack.api.baseUrl, merchant.key);
  });
  afterAll(() => receiver.stop());

  it('issues and voids an invoice at once while ten deliveries wait on a receiver that never answers', async () => {
    const hanging = receiver.script('/hangs', [200], { delayMs: 10 * RECEIVER_TIMEOUT_MS });
    expect(
      (await call('POST', '/v1/webhook_endpoints', { url: hanging, enabled_events: ['*'] })).status,
    ).toBe(201);
    const emitter = stack.api.app.get(WebhookEmitter);
    const recorded = await stack.api.app.get(DataSource).transaction(async (tx) => {
      const events = [];
      for (let i = 0; i < 10; i += 1) {
        events.push(
          await emitter.record(tx, {
            merchantId: merchant.id,
            type: 'billing.credits_usage',
            object: { n: i },
          }),
        );
      }
      return events;
    });
    await emitter.dispatch(recorded);
    await eventually(() => receiver.at('/hangs').length >= 2, { what: 'the first attempts to hang' });

    const { customer } = await customerWithCard(call, 'tok_visa');
    const invoiceId = await manualDraft(call, customer, '5', 'send_invoice');
    const started = Date.now();
    const issued = await call('POST', `/v1/invoices/${invoiceId}/issue`);
    const voided = await call('POST', `/v1/invoices/${invoiceId}/void`);
    const tookMs = Date.now() - started;

    expect(issued.body).toMatchObject({ status: 'open', total: '5.00' });
    expect(voided.body).toMatchObject({ status: 'void' });
    // Both wait on the invoice's workflow; sharing slots with the attempts they would wait out a receiver timeout.
    expect(tookMs).toBeLessThan(RECEIVER_TIMEOUT_MS / 2);
    // The attempts themselves are capped at their own queue's slots.
    expect(receiver.at('/hangs').length).toBe(2);
  });
});
