import { DataSource } from 'typeorm';
import { WebhookEmitter } from '../../src/webhooks/webhook-emitter.js';
import { caller, logEvents, sumMetric, type Call } from '../support/billing-fixtures.js';
import { LAST_YEAR } from '../support/calendar.js';
import { freePort, startTallyProcess, type TallyProcess } from '../support/tally-process.js';
import { createMerchant, eventually, startWorker, useTestStack } from '../support/test-stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * `kill -9` of a real API or worker process: nothing acknowledged is lost, client retries store
 * nothing twice, a rollup batch is folded once, and a webhook cut off mid-attempt is delivered.
 */
describe('processes killed with SIGKILL', () => {
  // No in-process worker: each test starts the one it kills, and the one that takes over.
  const stack = useTestStack({ config: { ROLLUP_BATCH_SIZE: '200', LOG_LEVEL: 'error' } });
  const processes: TallyProcess[] = [];
  let call: Call;
  let merchantId: string;
  let merchantKey: string;
  const receiver = new WebhookReceiver();

  const processEnv = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: stack.database.url,
    TEMPORAL_ADDRESS: stack.config.temporalAddress,
    TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
    ROLLUP_BATCH_SIZE: '200',
    RATE_LIMIT_REQUESTS_PER_S: '0',
    RATE_LIMIT_EVENTS_PER_S: '0',
    ...extra,
  });
  const start = async (kind: 'api' | 'worker', extra?: Record<string, string>) => {
    const started = await startTallyProcess(kind, processEnv(extra));
    processes.push(started);
    return started;
  };
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await stack.sql.query(sql, params)).rows[0].n);

  beforeAll(async () => {
    await receiver.start();
    const merchant = await createMerchant(stack.api.baseUrl);
    merchantId = merchant.id;
    merchantKey = merchant.key;
    call = caller(stack.api.baseUrl, merchant.key);
  });
  afterEach(async () => {
    for (const running of processes.splice(0)) await running.kill();
    await stack.worker?.stop();
    stack.worker = undefined;
  });
  afterAll(() => receiver.stop());

  it('the API under mixed single and batch load: every acknowledged event is stored, and retries store nothing twice', async () => {
    await sumMetric(call, 'kill_calls', '0.01');
    const customer = (await call('POST', '/v1/customers', { name: 'under load' })).body.id as string;
    const port = String(await freePort());
    let api = await start('api', { PORT: port });
    const baseUrl = `http://127.0.0.1:${port}`;

    const acknowledged = new Set<string>();
    const unanswered: string[][] = [];
    const event = (reference: string) => ({ event_name: 'kill_calls', customer, reference, value: '1' });
    const send = async (references: string[]): Promise<boolean> => {
      const [path, body] =
        references.length === 1
          ? ['/v1/billing/metering_events', event(references[0]!)]
          : ['/v1/billing/metering_events/batch', { events: references.map(event) }];
      try {
        const response = await fetch(`${baseUrl}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${merchantKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        const answer = (await response.json()) as { rejected?: number };
        if (response.status >= 300 || (answer.rejected ?? 0) > 0) return false;
        for (const reference of references) acknowledged.add(reference);
        return true;
      } catch {
        return false;
      }
    };

    let running = true;
    const lane = async (name: number) => {
      for (let n = 0; running; n += 1) {
        const references =
          n % 2 === 0 ? [`api-${name}-${n}`] : Array.from({ length: 20 }, (_, i) => `api-${name}-${n}-${i}`);
        if (!(await send(references))) {
          unanswered.push(references);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const lanes = [0, 1, 2, 3].map(lane);
    await eventually(() => acknowledged.size > 200, { what: 'load to be acknowledged' });
    await api.kill();
    const ackedBeforeKill = acknowledged.size;
    api = await start('api', { PORT: port });
    const afterRestart = acknowledged.size;
    await eventually(() => acknowledged.size > afterRestart + 200, {
      what: 'the restarted API to take load',
    });
    running = false;
    await Promise.all(lanes);

    // What the client could not confirm it sends again, until confirmed: duplicates, not copies.
    expect(unanswered.length).toBeGreaterThan(0);
    for (const references of unanswered) {
      await eventually(() => send(references), { what: `a retry of ${references[0]} to be acknowledged` });
    }
    const sent = [...acknowledged];
    expect(sent.length).toBeGreaterThan(ackedBeforeKill);
    const stored = await stack.sql.query(
      `SELECT reference, count(*)::int AS n FROM billing_metric_events
        WHERE merchant_id = $1 AND reference = ANY($2) GROUP BY reference`,
      [merchantId, sent],
    );
    expect(stored.rows).toHaveLength(sent.length);
    expect(stored.rows.filter((row: { n: number }) => row.n !== 1)).toEqual([]);
    expect(
      await count(
        'SELECT count(*) AS n FROM billing_metric_events WHERE merchant_id = $1 AND customer_id = $2',
        [merchantId, customer],
      ),
    ).toBe(sent.length);
  }, 180_000);

  it('the worker in the middle of a rollup: the next worker folds every event once', async () => {
    const metric = await sumMetric(call, 'kill_rollup', '0.01');
    const customer = (await call('POST', '/v1/customers', { name: 'rolled up' })).body.id as string;
    const total = 6000;
    await logEvents(call, {
      customer,
      eventName: 'kill_rollup',
      count: total,
      value: '2',
      from: `${LAST_YEAR}-03-01T10:00:00Z`,
      prefix: 'roll',
    });
    const folded = () =>
      count(
        "SELECT count(*) AS n FROM billing_metric_events WHERE customer_id = $1 AND status = 'aggregated'",
        [customer],
      );
    const doomed = await start('worker');
    await eventually(async () => (await folded()) >= 400, {
      what: 'the rollup to fold some batches',
      intervalMs: 5,
    });
    await doomed.kill();
    const foldedAtKill = await folded();
    expect(foldedAtKill).toBeLessThan(total);

    stack.worker = await startWorker({ ...stack.config, ROLLUP_BATCH_SIZE: 200 });
    await eventually(async () => (await folded()) === total, {
      what: 'every event to be folded',
      timeoutMs: 90_000,
    });
    const buckets = await stack.sql.query(
      'SELECT sum(count)::text AS count, sum(sum)::text AS sum FROM usage_buckets WHERE metric_id = $1 AND payer_id = $2',
      [metric, customer],
    );
    expect(buckets.rows[0]).toEqual({ count: String(total), sum: String(total * 2) });
  }, 180_000);

  it('the worker in the middle of a webhook attempt: the next worker delivers it, under the same webhook-id', async () => {
    const path = `/slow-${merchantId}`;
    const endpoint = await call('POST', '/v1/webhook_endpoints', {
      url: receiver.script(path, [200], { delayMs: 3000 }),
      enabled_events: ['*'],
    });
    expect(endpoint.status).toBe(201);
    const doomed = await start('worker', { WEBHOOK_TIMEOUT_MS: '20000' });
    const emitter = stack.api.app.get(WebhookEmitter);
    const recorded = await stack.api.app
      .get(DataSource)
      .transaction((tx) =>
        emitter.record(tx, { merchantId, type: 'billing.credits_usage', object: { n: 1 } }),
      );
    await emitter.dispatch([recorded]);
    // The receiver holds the first attempt for 3 s: the worker dies in the middle of it.
    await eventually(() => receiver.at(path).length === 1, { what: 'the first attempt to arrive' });
    await doomed.kill();

    stack.worker = await startWorker(stack.config);
    const delivered = await eventually(
      async () => {
        const event = (await call('GET', `/v1/webhook_events/${recorded.id}`)).body;
        return event.deliveries?.[0]?.status === 'succeeded' && event;
      },
      { what: 'the delivery to succeed on the next worker', timeoutMs: 90_000 },
    );
    expect(delivered.id).toBe(recorded.id);
    expect(receiver.at(path).length).toBeGreaterThanOrEqual(2);
    expect(new Set(receiver.at(path).map((request) => request.headers['webhook-id']))).toEqual(
      new Set([recorded.id]),
    );
    expect(receiver.uniqueAt(path)).toHaveLength(1);
  }, 180_000);
});
