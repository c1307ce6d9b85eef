import {
  Tally,
  TallyApiError,
  TallyConnectionError,
  TallyWebhookVerificationError,
} from '../../sdk/src/index.js';
import { LossyHttpProxy } from '../support/lossy-http-proxy.js';
import { createMerchant, eventually, useTestStack } from '../support/test-stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const EVENT = /^\/v1\/billing\/metering_events$/;

describe('the TypeScript SDK against the real API, through a proxy that loses answers', () => {
  const stack = useTestStack({ worker: true, config: { WEBHOOK_RETRY_SCHEDULE: '1s' } });
  let proxy: LossyHttpProxy;
  let merchant: { id: string; key: string };
  let tally: Tally;

  beforeAll(async () => {
    proxy = await new LossyHttpProxy(stack.api.baseUrl).start();
    merchant = await createMerchant(stack.api.baseUrl);
    tally = new Tally({ apiKey: merchant.key, baseUrl: proxy.baseUrl });
  });
  afterAll(() => proxy.stop());

  async function metric(eventName: string): Promise<void> {
    await tally.metrics.create({
      name: eventName,
      event_name: eventName,
      aggregation: 'sum',
      unit_amount: '0.01',
    });
  }

  it('throws typed errors carrying the code, status and request id', async () => {
    const missing = await tally.customers
      .get('cus_00000000000000000000000000')
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(TallyApiError);
    expect(missing).toMatchObject({ status: 404, code: 'resource_missing', type: 'not_found_error' });
    expect((missing as TallyApiError).requestId).toMatch(/.+/);

    const badKey = new Tally({ apiKey: 'sk_test_nope', baseUrl: stack.api.baseUrl });
    await expect(badKey.customers.list().page()).rejects.toMatchObject({
      status: 401,
      code: 'api_key_invalid',
    });

    const invalid = await tally.metrics
      .create({ name: 'x', event_name: 'x', aggregation: 'median' as 'sum', unit_amount: '1' })
      .catch((error: unknown) => error);
    expect(invalid).toMatchObject({ status: 400, code: 'parameter_invalid', param: 'aggregation' });
  });

  it('iterates every page of a list with for await, asking for each page once', async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i += 1) created.push((await tally.customers.create({ name: `Page ${i}` })).id);
    const before = proxy.to('GET', /^\/v1\/customers$/).length;
    const seen: string[] = [];
    for await (const customer of tally.customers.list({ limit: 3 })) seen.push(customer.id);
    expect(seen.filter((id) => created.includes(id)).sort()).toEqual([...created].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(proxy.to('GET', /^\/v1\/customers$/).length - before).toBe(Math.ceil(seen.length / 3));
  });

  it('sends a lost event again and stores it once', async () => {
    await metric('sdk_lost');
    const customer = await tally.customers.create({ name: 'Lost answers' });
    proxy.fail('POST', EVENT, [
      { kind: 'lose_answer' },
      { kind: 'answer', status: 503, headers: { 'retry-after': '1' } },
    ]);
    const before = proxy.to('POST', EVENT).length;
    const logged = await tally.events.log({
      customer: customer.id,
      event_name: 'sdk_lost',
      reference: 'sdk-lost-1',
      value: '3',
    });
    expect(proxy.to('POST', EVENT).length - before).toBe(3);
    expect(logged.duplicate).toBe(true);
    const stored = await stack.sql.query(
      `SELECT count(*)::int AS n FROM billing_metric_events WHERE merchant_id = $1 AND reference = 'sdk-lost-1'`,
      [merchant.id],
    );
    expect(stored.rows[0].n).toBe(1);
  });

  it('gives a keyed create one Idempotency-Key for all its tries, so a lost answer makes one object', async () => {
    const path = /^\/v1\/webhook_endpoints$/;
    proxy.fail('POST', path, [{ kind: 'lose_answer' }]);
    const before = proxy.to('POST', path).length;
    const endpoint = await tally.webhooks.endpoints.create({
      url: 'https://hooks.example.com/sdk-keyed',
      enabled_events: ['billing.invoice.generated'],
    });
    const tries = proxy.to('POST', path).slice(before);
    expect(tries).toHaveLength(2);
    expect(tries[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(tries[1]!.headers['idempotency-key']).toBe(tries[0]!.headers['idempotency-key']);
    const all = await tally.webhooks.endpoints.list().toArray();
    expect(all.filter((e) => e.url === 'https://hooks.example.com/sdk-keyed').map((e) => e.id)).toEqual([
      endpoint.id,
    ]);

    const explicit = await tally.webhooks.endpoints.create(
      { url: 'https://hooks.example.com/sdk-explicit', enabled_events: ['*'] },
      { idempotencyKey: 'my-own-key-1' },
    );
    expect(proxy.to('POST', path).at(-1)!.headers['idempotency-key']).toBe('my-own-key-1');
    const again = await tally.webhooks.endpoints.create(
      { url: 'https://hooks.example.com/sdk-explicit', enabled_events: ['*'] },
      { idempotencyKey: 'my-own-key-1' },
    );
    expect(again.id).toBe(explicit.id);
  });

  it('never sends an operation that is not idempotent twice: a lost answer or a 503 reaches the caller', async () => {
    const metrics = /^\/v1\/billing\/metering$/;
    proxy.fail('POST', metrics, [{ kind: 'lose_answer' }]);
    let before = proxy.to('POST', metrics).length;
    await expect(metric('sdk_once')).rejects.toBeInstanceOf(TallyConnectionError);
    expect(proxy.to('POST', metrics).length - before).toBe(1);

    proxy.fail('POST', metrics, [{ kind: 'answer', status: 503 }]);
    before = proxy.to('POST', metrics).length;
    await expect(metric('sdk_twice')).rejects.toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(proxy.to('POST', metrics).length - before).toBe(1);

    const pay = /^\/v1\/invoices\/[^/]+\/pay$/;
    proxy.fail('POST', pay, [{ kind: 'answer', status: 502 }]);
    await expect(tally.invoices.pay('in_00000000000000000000000000')).rejects.toMatchObject({ status: 502 });
    expect(proxy.to('POST', pay)).toHaveLength(1);
  });

  it('gives up on a read after maxRetries and answers the last error', async () => {
    const few = new Tally({ apiKey: merchant.key, baseUrl: proxy.baseUrl, maxRetries: 2 });
    const path = /^\/v1\/billing\/metering$/;
    proxy.fail('GET', path, [
      { kind: 'answer', status: 500 },
      { kind: 'answer', status: 503 },
      { kind: 'answer', status: 429, headers: { 'retry-after': '1' } },
    ]);
    const before = proxy.to('GET', path).length;
    await expect(few.metrics.list().page()).rejects.toMatchObject({ status: 429 });
    expect(proxy.to('GET', path).length - before).toBe(3);
    expect((await few.metrics.list().page()).data.length).toBeGreaterThan(0);
  });

  it('tries a read again when a try times out', async () => {
    const quick = new Tally({ apiKey: merchant.key, baseUrl: proxy.baseUrl, timeoutMs: 300 });
    const path = /^\/v1\/webhook_endpoints$/;
    proxy.fail('GET', path, [{ kind: 'delay', ms: 1500 }]);
    const before = proxy.to('GET', path).length;
    expect((await quick.webhooks.endpoints.list().page()).data.length).toBeGreaterThan(0);
    expect(proxy.to('GET', path).length - before).toBe(2);

    proxy.fail('POST', /^\/v1\/customers$/, [{ kind: 'delay', ms: 1500 }]);
    await expect(quick.customers.create({ name: 'Slow' })).rejects.toMatchObject({
      code: 'connection_failed',
    });
  });

  it('verifies a real webhook with the endpoint secret and refuses a tampered one', async () => {
    const receiver = await new WebhookReceiver().start();
    try {
      const url = receiver.script('/sdk', [200]);
      const endpoint = await tally.webhooks.endpoints.create({
        url,
        enabled_events: ['billing.event.corrected'],
      });
      await metric('sdk_hook');
      const customer = await tally.customers.create({ name: 'Hooked' });
      const logged = await tally.events.log({
        customer: customer.id,
        event_name: 'sdk_hook',
        reference: 'sdk-hook-1',
        value: '1',
      });
      await tally.events.void(logged.id);
      await eventually(() => receiver.at('/sdk').length > 0, { what: 'the webhook' });
      const [delivery] = receiver.at('/sdk');
      const event = tally.webhooks.verify(delivery!.body, delivery!.headers, endpoint.secret);
      expect(event.type).toBe('billing.event.corrected');
      expect(event.id).toBe(delivery!.headers['webhook-id']);
      expect((await tally.webhooks.events.get(event.id)).id).toBe(event.id);

      expect(() => tally.webhooks.verify(`${delivery!.body} `, delivery!.headers, endpoint.secret)).toThrow(
        TallyWebhookVerificationError,
      );
      const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
      expect(() => tally.webhooks.verify(delivery!.body, delivery!.headers, other)).toThrow(
        expect.objectContaining({ code: 'webhook_signature_invalid' }),
      );
      expect(tally.webhooks.verify(delivery!.body, delivery!.headers, [other, endpoint.secret]).id).toBe(
        event.id,
      );
    } finally {
      await receiver.stop();
    }
  });
});
