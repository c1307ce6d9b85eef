import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { Webhook } from 'standardwebhooks';
import type { WebhookEventType } from '../../src/webhooks/domain/event-types.js';
import { WebhookEmitter } from '../../src/webhooks/webhook-emitter.js';
import { createMerchant, eventually, http, startWorker, useTestStack } from '../support/test-stack.js';
import { recordHistory } from '../support/recorded-histories.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

describe('webhooks: signed, delivered through Temporal, retried, never lost', () => {
  const stack = useTestStack({
    worker: true,
    config: {
      WEBHOOK_RETRY_SCHEDULE: '300ms,300ms,300ms',
      OUTBOX_SWEEP_INTERVAL_MS: '250',
      LOG_LEVEL: 'warn',
    },
  });
  const receiver = new WebhookReceiver();
  let merchant: { id: string; key: string };
  const call = (method: string, url: string, body?: unknown, headers?: Record<string, string>) =>
    http(stack.api.baseUrl, method, url, { key: merchant.key, body, headers });

  beforeAll(async () => {
    await receiver.start();
    merchant = await createMerchant(stack.api.baseUrl);
  });
  afterAll(() => receiver.stop());

  /** Records events as billing code does (in a transaction); dispatches them unless told not to. */
  async function emit(type: WebhookEventType, object: Record<string, unknown>, { dispatch = true } = {}) {
    const emitter = stack.api.app.get(WebhookEmitter);
    const merchantId = merchant.id;
    const recorded = await stack.api.app
      .get(DataSource)
      .transaction((tx) => emitter.record(tx, { merchantId, type, object }));
    if (dispatch) await emitter.dispatch([recorded]);
    return recorded.id;
  }

  async function endpoint(path: string, statuses: number[], enabledEvents: string[] = ['*']) {
    const created = await call('POST', '/v1/webhook_endpoints', {
      url: receiver.script(path, statuses),
      enabled_events: enabledEvents,
    });
    expect(created.status).toBe(201);
    return created.body as { id: string; secret: string };
  }

  const attemptsOf = async (eventId: string) =>
    (await call('GET', `/v1/webhook_events/${eventId}/deliveries?limit=100`)).body.data as Array<{
      endpoint: string;
      attempt: number;
      status_code: number | null;
      succeeded: boolean;
      duration_ms: number;
      response_body: string | null;
    }>;

  describe('endpoints', () => {
    it('creates an endpoint with its secret shown once, then masked', async () => {
      const created = await call('POST', '/v1/webhook_endpoints', {
        url: 'https://example.com/hooks',
        enabled_events: ['billing.invoice.generated', 'billing.charge.failed'],
        description: 'billing',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        object: 'webhook_endpoint',
        url: 'https://example.com/hooks',
        enabled_events: ['billing.invoice.generated', 'billing.charge.failed'],
        status: 'enabled',
        description: 'billing',
      });
      expect(created.body.id).toMatch(/^we_/);
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const read = await call('GET', `/v1/webhook_endpoints/${created.body.id}`);
      expect(read.body.secret).toBe(`whsec_…${created.body.secret.slice(-4)}`);
      const listed = await call('GET', '/v1/webhook_endpoints');
      expect(listed.body.data.map((e: { id: string }) => e.id)).toContain(created.body.id);
    });

    it('refuses unknown event types, non-http URLs and empty subscriptions with 400 and a code', async () => {
      const cases: Array<[unknown, string]> = [
        [{ url: 'https://example.com', enabled_events: ['billing.nope'] }, 'event_type_unknown'],
        [{ url: 'ftp://example.com/x', enabled_events: ['*'] }, 'url_invalid'],
        [{ url: 'not a url', enabled_events: ['*'] }, 'url_invalid'],
        [{ url: 'https://user:pw@example.com/', enabled_events: ['*'] }, 'url_invalid'],
        [{ url: 'https://example.com', enabled_events: [] }, 'parameter_invalid'],
        [{ url: 'https://example.com', enabled_events: ['*'], secret: 'mine' }, 'parameter_unknown'],
      ];
      for (const [body, code] of cases) {
        const response = await call('POST', '/v1/webhook_endpoints', body);
        expect({ body, status: response.status, code: response.body.error.code }).toEqual({
          body,
          status: 400,
          code,
        });
      }
      const listed = await call('GET', '/v1/webhook_endpoints?limit=100');
      expect(listed.body.data.some((e: { url: string }) => e.url.startsWith('ftp'))).toBe(false);
    });

    it('answers the same endpoint for a repeated Idempotency-Key, and 409 when the body differs', async () => {
      const body = { url: 'https://example.com/idem', enabled_events: ['*'] };
      const headers = { 'idempotency-key': 'create-endpoint-1' };
      const first = await call('POST', '/v1/webhook_endpoints', body, headers);
      const again = await call('POST', '/v1/webhook_endpoints', body, headers);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.body.secret).toBe(first.body.secret);
      const other = await call(
        'POST',
        '/v1/webhook_endpoints',
        { ...body, url: 'https://example.com/other' },
        headers,
      );
      expect(other.status).toBe(409);
      expect(other.body.error.code).toBe('idempotency_key_reused');

      // Once deleted, a retry neither shows its secret again nor makes another endpoint.
      expect((await call('DELETE', `/v1/webhook_endpoints/${first.body.id}`)).status).toBe(200);
      const afterDelete = await call('POST', '/v1/webhook_endpoints', body, headers);
      expect(afterDelete.status).toBe(409);
      expect(afterDelete.body.error.code).toBe('idempotency_key_reused');
      expect(JSON.stringify(afterDelete.body)).not.toContain(first.body.secret);
    });

    it('updates, disables, deletes (then 404) and rotates secrets', async () => {
      const created = (
        await call('POST', '/v1/webhook_endpoints', { url: 'https://example.com/a', enabled_events: ['*'] })
      ).body;
      const updated = await call('POST', `/v1/webhook_endpoints/${created.id}`, {
        url: 'https://example.com/b',
        enabled_events: ['billing.charge.succeeded'],
        disabled: true,
      });
      expect(updated.body).toMatchObject({
        url: 'https://example.com/b',
        enabled_events: ['billing.charge.succeeded'],
        status: 'disabled',
      });
      const rotated = await call('POST', `/v1/webhook_endpoints/${created.id}/rotate_secret`);
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(created.secret);
      expect(Date.parse(rotated.body.previous_secret_expires_at) - Date.now()).toBeGreaterThan(
        23.9 * 3600_000,
      );
      expect((await call('DELETE', `/v1/webhook_endpoints/${created.id}`)).body).toEqual({
        id: created.id,
        object: 'webhook_endpoint',
        deleted: true,
      });
      expect((await call('GET', `/v1/webhook_endpoints/${created.id}`)).status).toBe(404);
      expect((await call('DELETE', `/v1/webhook_endpoints/${created.id}`)).status).toBe(404);
      const stranger = await createMerchant(stack.api.baseUrl, 'Stranger');
      const theirs = await http(stack.api.baseUrl, 'GET', `/v1/webhook_endpoints/${created.id}`, {
        key: stranger.key,
      });
      expect(theirs.status).toBe(404);
    });
  });

  describe('delivery', () => {
    // Each test is its own merchant, so that one test's endpoints never receive another's events.
    beforeEach(async () => {
      merchant = await createMerchant(stack.api.baseUrl);
    });

    it('delivers a signed event to subscribed endpoints only; the signature verifies and a tampered body does not', async () => {
      const subscribed = await endpoint('/signed', [200], ['billing.invoice.generated']);
      const other = await endpoint('/other-type', [200], ['billing.charge.succeeded']);
      const eventId = await emit('billing.invoice.generated', {
        id: 'inv_test',
        object: 'invoice',
        total: '42.32',
      });

      const [request] = await eventually(() => receiver.at('/signed').length > 0 && receiver.at('/signed'), {
        what: 'the delivery',
      });
      const headers = {
        'webhook-id': String(request!.headers['webhook-id']),
        'webhook-timestamp': String(request!.headers['webhook-timestamp']),
        'webhook-signature': String(request!.headers['webhook-signature']),
      };
      expect(headers['webhook-id']).toBe(eventId);
      const verified = new Webhook(subscribed.secret).verify(request!.body, headers) as Record<string, any>;
      expect(verified).toMatchObject({
        id: eventId,
        object: 'event',
        type: 'billing.invoice.generated',
        data: { object: { id: 'inv_test', total: '42.32' } },
      });
      expect(Date.parse(verified.created)).not.toBeNaN();
      const tampered = request!.body.replace('42.32', '4232.00');
      expect(() => new Webhook(subscribed.secret).verify(tampered, headers)).toThrow();
      expect(() => new Webhook(other.secret).verify(request!.body, headers)).toThrow();

      const stored = await call('GET', `/v1/webhook_events/${eventId}`);
      expect(stored.body).toMatchObject({
        id: eventId,
        type: 'billing.invoice.generated',
        data: { object: { id: 'inv_test' } },
      });
      await eventually(
        async () =>
          (await call('GET', `/v1/webhook_events/${eventId}`)).body.deliveries[0]?.status === 'succeeded',
      );
      expect(stored.body.deliveries.map((d: { endpoint: string }) => d.endpoint)).toEqual([subscribed.id]);
      expect(receiver.at('/other-type')).toHaveLength(0);
      const listed = await call('GET', '/v1/webhook_events?type=billing.invoice.generated');
      expect(listed.body.data.map((e: { id: string }) => e.id)).toContain(eventId);
    });

    it('retries a failing receiver on the schedule: fails twice, succeeds on the third attempt', async () => {
      const flaky = await endpoint('/flaky', [500, 503, 200]);
      const eventId = await emit('billing.charge.succeeded', { id: 'ch_test', object: 'charge' });
      await eventually(async () => (await attemptsOf(eventId)).length === 3, { what: 'three attempts' });
      const attempts = (await attemptsOf(eventId)).reverse();
      expect(attempts.map((a) => [a.attempt, a.status_code, a.succeeded])).toEqual([
        [1, 500, false],
        [2, 503, false],
        [3, 200, true],
      ]);
      expect(attempts[0]!.response_body).toBe('answered 500');
      expect(receiver.at('/flaky').map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId, eventId]);
      const event = await call('GET', `/v1/webhook_events/${eventId}`);
      expect(event.body.deliveries).toEqual([
        expect.objectContaining({
          endpoint: flaky.id,
          status: 'succeeded',
          attempt_count: 3,
          next_attempt_at: null,
        }),
      ]);
      if (process.env.RECORD_HISTORIES) {
        const connection = await Connection.connect({ address: stack.config.temporalAddress });
        const handle = new Client({ connection }).workflow.getHandle(`webhook/${eventId}/${flaky.id}`);
        await handle.result();
        recordHistory('webhook-delivery-fails-twice', await handle.fetchHistory());
        await connection.close();
      }
    });

    it('marks a delivery failed when the schedule runs out, and a 410 disables the endpoint', async () => {
      const down = await endpoint('/down', [500]);
      const gone = await endpoint('/gone', [410]);
      const eventId = await emit('billing.charge.failed', { id: 'ch_x', attempt: 1, will_retry: true });
      await eventually(
        async () => {
          const deliveries = (await call('GET', `/v1/webhook_events/${eventId}`)).body.deliveries;
          return deliveries.every((d: { status: string }) => d.status === 'failed') && deliveries;
        },
        { what: 'both deliveries to fail' },
      );
      expect(receiver.at('/down')).toHaveLength(4);
      expect(receiver.at('/gone')).toHaveLength(1);
      expect((await call('GET', `/v1/webhook_endpoints/${gone.id}`)).body).toMatchObject({
        status: 'disabled',
        disabled_reason: 'gone',
      });
      expect((await call('GET', `/v1/webhook_endpoints/${down.id}`)).body.status).toBe('enabled');

      // An operator finds them in the Temporal UI by merchant and status.
      const connection = await Connection.connect({ address: stack.config.temporalAddress });
      try {
        const temporal = new Client({ connection, namespace: stack.config.TEMPORAL_NAMESPACE });
        const query = `TallyMerchantId = '${merchant.id}' AND TallyStatus = 'failed'`;
        const found = await eventually(
          async () => {
            const ids: string[] = [];
            for await (const workflow of temporal.workflow.list({ query })) ids.push(workflow.workflowId);
            return ids.length === 2 && ids.sort();
          },
          { what: 'the failed deliveries in Temporal visibility' },
        );
        expect(found).toEqual([`webhook/${eventId}/${down.id}`, `webhook/${eventId}/${gone.id}`].sort());
      } finally {
        await connection.close();
      }
    });

    it('redelivers on request, with the same webhook-id, to its endpoints or to a named one', async () => {
      const target = await endpoint('/redeliver', [200]);
      const eventId = await emit('billing.credits_usage', { customer: 'cus_x', consumed: '1.00' });
      await eventually(() => receiver.at('/redeliver').length === 1);
      const late = await endpoint('/late', [200]);
      const answer = await call('POST', `/v1/webhook_events/${eventId}/redeliver`, {});
      expect(answer.status).toBe(200);
      await eventually(() => receiver.at('/redeliver').length === 2, { what: 'the redelivery' });
      expect(receiver.uniqueAt('/redeliver')).toHaveLength(1);
      await eventually(async () => (await attemptsOf(eventId)).length === 2);
      expect((await attemptsOf(eventId)).map((a) => [a.endpoint, a.attempt])).toEqual([
        [target.id, 2],
        [target.id, 1],
      ]);
      expect(receiver.at('/late')).toHaveLength(0);

      const toLate = await call('POST', `/v1/webhook_events/${eventId}/redeliver`, { endpoint: late.id });
      expect(toLate.status).toBe(200);
      const [request] = await eventually(() => receiver.at('/late').length > 0 && receiver.at('/late'));
      expect(request!.headers['webhook-id']).toBe(eventId);
      const unknown = await call('POST', `/v1/webhook_events/${eventId}/redeliver`, { endpoint: 'we_nope' });
      expect(unknown.status).toBe(404);
    });

    it('sends, through the sweeper, a redelivery whose signal did not reach Temporal', async () => {
      await endpoint('/resend', [200]);
      const eventId = await emit('billing.credits_expiration', { grant: 'cg_resend' });
      await eventually(async () => (await attemptsOf(eventId)).length === 1, { what: 'the first delivery' });
      // What a redelivery leaves when Temporal refused its signal: pending and not started.
      await stack.sql.query(
        `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = NULL, workflow_started_at = NULL
          WHERE event_id = $1`,
        [eventId],
      );
      await eventually(() => receiver.at('/resend').length === 2, { what: 'the sweeper to redeliver' });
      expect(receiver.uniqueAt('/resend')).toHaveLength(1);
      await eventually(async () => {
        const { rows } = await stack.sql.query(
          'SELECT status, workflow_started_at FROM webhook_deliveries WHERE event_id = $1',
          [eventId],
        );
        return rows[0].status === 'succeeded' && rows[0].workflow_started_at !== null;
      });
    });

    it('signs with both secrets for 24 hours after a rotation', async () => {
      const target = await endpoint('/rotated', [200]);
      const rotated = (await call('POST', `/v1/webhook_endpoints/${target.id}/rotate_secret`)).body;
      await emit('billing.threshold.approaching', { customer: 'cus_y', remaining: '2.00' });
      const [request] = await eventually(() => receiver.at('/rotated').length > 0 && receiver.at('/rotated'));
      const headers = {
        'webhook-id': String(request!.headers['webhook-id']),
        'webhook-timestamp': String(request!.headers['webhook-timestamp']),
        'webhook-signature': String(request!.headers['webhook-signature']),
      };
      expect(() => new Webhook(target.secret).verify(request!.body, headers)).not.toThrow();
      expect(() => new Webhook(rotated.secret).verify(request!.body, headers)).not.toThrow();
    });

    it('delivers exactly once an event recorded while the worker was down', async () => {
      await endpoint('/restart', [200]);
      await stack.worker!.stop();
      const eventId = await emit('billing.subscriber_usage', { subscription: 'sub_x', used: '10' });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(receiver.at('/restart')).toHaveLength(0);
      stack.worker = await startWorker(stack.config);
      await eventually(() => receiver.at('/restart').length > 0, { what: 'delivery after the restart' });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(receiver.uniqueAt('/restart').map((r) => r.headers['webhook-id'])).toEqual([eventId]);
      expect(receiver.at('/restart')).toHaveLength(1);
    });

    it('starts, through the sweeper, a delivery whose start was lost after the commit', async () => {
      await endpoint('/swept', [200]);
      const eventId = await emit('billing.credits_expiration', { grant: 'cg_x' }, { dispatch: false });
      const [request] = await eventually(() => receiver.at('/swept').length > 0 && receiver.at('/swept'), {
        what: 'the sweeper to start the delivery',
      });
      expect(request!.headers['webhook-id']).toBe(eventId);
      const started = await stack.sql.query(
        'SELECT count(*)::int AS n FROM webhook_deliveries WHERE event_id = $1 AND workflow_started_at IS NOT NULL',
        [eventId],
      );
      expect(started.rows[0].n).toBe(1);
    });
  });
});
