import { DataSource } from 'typeorm';
import { WebhookEmitter } from '../../src/webhooks/webhook-emitter.js';
import {
  createMerchant,
  eventually,
  http,
  type RunningApi,
  type RunningWorker,
  startApi,
  startWorker,
  testConfig,
  useTestStack,
} from '../support/test-stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

describe('in production, webhooks never go to private addresses', () => {
  // The stack's API runs in test mode (private URLs allowed) and registers the receiver's local
  // URL; a production-mode API and worker on the same database must refuse it.
  const stack = useTestStack();
  const receiver = new WebhookReceiver();
  let production: { api: RunningApi; worker: RunningWorker };
  let merchant: { id: string; key: string };

  beforeAll(async () => {
    await receiver.start();
    const config = testConfig(stack.database.url, {
      TALLY_ENV: 'production',
      WEBHOOK_RETRY_SCHEDULE: '100ms',
    });
    production = { api: await startApi(config), worker: await startWorker(config) };
    merchant = await createMerchant(stack.api.baseUrl);
  });
  afterAll(async () => {
    await production?.worker.stop();
    await production?.api.close();
    await receiver.stop();
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'https://10.1.2.3/hook',
    'http://192.168.0.10/',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]:3000/',
    'http://[fd00::1]/',
    'http://[::ffff:127.0.0.1]/',
  ])('refuses to register %s (400 url_not_allowed)', async (url) => {
    const response = await http(production.api.baseUrl, 'POST', '/v1/webhook_endpoints', {
      key: merchant.key,
      body: { url, enabled_events: ['*'] },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'url_not_allowed', param: 'url' });
  });

  it('refuses to change an endpoint to a private URL', async () => {
    const created = await http(stack.api.baseUrl, 'POST', '/v1/webhook_endpoints', {
      key: merchant.key,
      body: { url: 'https://hooks.example.com/a', enabled_events: ['*'] },
    });
    const response = await http(production.api.baseUrl, 'POST', `/v1/webhook_endpoints/${created.body.id}`, {
      key: merchant.key,
      body: { url: 'http://127.0.0.1/b' },
    });
    expect(response.body.error.code).toBe('url_not_allowed');
    await http(stack.api.baseUrl, 'DELETE', `/v1/webhook_endpoints/${created.body.id}`, {
      key: merchant.key,
    });
  });

  it('refuses at delivery an endpoint registered before (by IP literal and by a name resolving to loopback)', async () => {
    const port = new URL(receiver.baseUrl).port;
    for (const url of [receiver.script('/literal', [200]), `http://localhost:${port}/named`]) {
      const created = await http(stack.api.baseUrl, 'POST', '/v1/webhook_endpoints', {
        key: merchant.key,
        body: { url, enabled_events: ['billing.charge.succeeded'] },
      });
      expect(created.status).toBe(201);
    }
    const emitter = production.api.app.get(WebhookEmitter);
    const event = await production.api.app.get(DataSource).transaction((tx) =>
      emitter.record(tx, {
        merchantId: merchant.id,
        type: 'billing.charge.succeeded',
        object: { id: 'ch_1' },
      }),
    );
    await emitter.dispatch([event]);
    const call = (path: string) => http(production.api.baseUrl, 'GET', path, { key: merchant.key });
    await eventually(
      async () => {
        const { deliveries } = (await call(`/v1/webhook_events/${event.id}`)).body;
        return deliveries.length === 2 && deliveries.every((d: { status: string }) => d.status === 'failed');
      },
      { what: 'both deliveries to fail' },
    );
    const attempts = (await call(`/v1/webhook_events/${event.id}/deliveries`)).body.data;
    expect(attempts).toHaveLength(4);
    const errors = [...new Set(attempts.map((a: { error: string }) => a.error))].sort();
    expect(errors).toEqual([
      expect.stringMatching(
        /^EADDRNOTALLOWED: .*localhost resolves to (127\.0\.0\.1|::1), which is not a public address/,
      ),
      'the URL names a private, loopback or link-local address',
    ]);
    expect(
      attempts.every(
        (a: { status_code: null; succeeded: boolean }) => a.status_code === null && !a.succeeded,
      ),
    ).toBe(true);
    expect(receiver.received).toHaveLength(0);
  });
});
