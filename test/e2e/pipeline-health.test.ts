import { Connection } from '@temporalio/client';
import { ensureSearchAttributes } from '../../src/temporal/search-attributes.registry.js';
import { LAST_YEAR } from '../support/calendar.js';
import { caller, customerWithCard, sumMetric, type Call } from '../support/billing-fixtures.js';
import { createMerchant, eventually, startApi, testConfig, useTestStack } from '../support/test-stack.js';

interface Minute {
  start: string;
  events: number;
}

const MINUTE_MS = 60_000;
const minuteOf = (instant: string) =>
  new Date(Math.floor(Date.parse(instant) / MINUTE_MS) * MINUTE_MS).toISOString();

/**
 * GET /v1/pipeline/health on the real API and Temporal, with no worker, so the logged events
 * wait for a rollup that never comes and the invoice's workflow stays running.
 */
describe('GET /v1/pipeline/health', () => {
  const stack = useTestStack();
  let a: Call;
  let b: Call;
  let merchantA: string;
  let keyA: string;
  let loggedReceipts: string[];

  beforeAll(async () => {
    // What a worker does at its start (this test runs none): Tally's search attributes exist.
    const connection = await Connection.connect({ address: stack.config.temporalAddress });
    await ensureSearchAttributes(connection, stack.config.TEMPORAL_NAMESPACE);
    await connection.close();
    const first = await createMerchant(stack.api.baseUrl, 'Pipeline A');
    merchantA = first.id;
    keyA = first.key;
    a = caller(stack.api.baseUrl, first.key);
    b = caller(stack.api.baseUrl, (await createMerchant(stack.api.baseUrl, 'Pipeline B')).key);
    const { customer } = await customerWithCard(a, 'tok_visa');
    await sumMetric(a, 'pipeline_calls', '0.01');
    const events = Array.from({ length: 7 }, (_, i) => ({
      customer,
      event_name: 'pipeline_calls',
      reference: `pipeline-${i}`,
      value: '1',
    }));
    const batch = await a('POST', '/v1/billing/metering_events/batch', { events: events.slice(0, 5) });
    expect(batch.body.created).toBe(5);
    for (const event of events.slice(5))
      expect((await a('POST', '/v1/billing/metering_events', event)).status).toBe(201);
    // A correction adds rows, not events: the rate counts 7.
    const voided = await a('POST', '/v1/billing/metering_events/void', { reference: 'pipeline-0' });
    expect(voided.status).toBe(200);
    const listed = await a('GET', '/v1/billing/metering_events?limit=100');
    loggedReceipts = listed.body.data.map((event: { received_at: string }) => event.received_at);
    expect(loggedReceipts).toHaveLength(7);
    const invoice = await a('POST', '/v1/billing/billing_invoice', {
      customer,
      start_date: `${LAST_YEAR}-01-01T00:00:00Z`,
      end_date: `${LAST_YEAR}-02-01T00:00:00Z`,
      collection_method: 'send_invoice',
    });
    expect(invoice.status).toBe(201);
  });

  it("counts the merchant's events per minute of the last hour, zero-filled, oldest first", async () => {
    const health = await a('GET', '/v1/pipeline/health');
    expect(health.status).toBe(200);
    expect(health.body.object).toBe('pipeline_health');
    const { ingestion } = health.body;
    expect(ingestion.window_minutes).toBe(60);
    const perMinute: Minute[] = ingestion.per_minute;
    expect(perMinute).toHaveLength(60);
    const starts = perMinute.map((minute) => Date.parse(minute.start));
    expect(starts.slice(1).map((start, i) => start - starts[i]!)).toEqual(Array(59).fill(MINUTE_MS));
    expect(minuteOf(health.body.generated_at)).toBe(perMinute[59]!.start);
    const expected = new Map<string, number>();
    for (const receipt of loggedReceipts)
      expected.set(minuteOf(receipt), (expected.get(minuteOf(receipt)) ?? 0) + 1);
    expect(Object.fromEntries(perMinute.filter((m) => m.events > 0).map((m) => [m.start, m.events]))).toEqual(
      Object.fromEntries(expected),
    );
    expect(ingestion.events_last_hour).toBe(7);
    expect(ingestion.events_last_minute).toBe(7);
  });

  it('reports the events waiting for the rollup (the void adds a reversal) and the lag of the oldest', async () => {
    const before = Date.now();
    const { rollup, generated_at } = (await a('GET', '/v1/pipeline/health')).body;
    const rows = await stack.sql.query<{ n: string; oldest: Date }>(
      `SELECT count(*) AS n, min(received_at) AS oldest FROM billing_metric_events WHERE merchant_id = $1 AND status = 'logged'`,
      [merchantA],
    );
    expect(rollup.backlog).toBe(8);
    expect(rollup.backlog).toBe(Number(rows.rows[0]!.n));
    expect(rollup.oldest_waiting_received_at).toBe(rows.rows[0]!.oldest.toISOString());
    const lag = (Date.parse(generated_at) - rows.rows[0]!.oldest.getTime()) / 1000;
    expect(Math.abs(rollup.lag_seconds - lag)).toBeLessThanOrEqual(0.051);
    expect(rollup.lag_seconds).toBeLessThanOrEqual(
      (Date.now() - rows.rows[0]!.oldest.getTime()) / 1000 + 0.1,
    );
    expect(Date.parse(generated_at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("counts the merchant's workflows by status and by type", async () => {
    const health = await eventually(
      async () => {
        const answer = (await a('GET', '/v1/pipeline/health')).body;
        return answer.workflows.by_status?.running >= 1 && answer;
      },
      { what: "the invoice's workflow in Temporal's visibility" },
    );
    expect(health.workflows).toEqual({
      available: true,
      error: null,
      by_status: {
        running: 1,
        completed: 0,
        failed: 0,
        canceled: 0,
        terminated: 0,
        timed_out: 0,
        continued_as_new: 0,
      },
      by_type: [{ type: 'invoiceLifecycle', status: 'running', count: 1 }],
    });
  });

  it('shows another merchant none of it', async () => {
    const health = await b('GET', '/v1/pipeline/health');
    expect(health.status).toBe(200);
    expect(health.body.ingestion.per_minute.every((minute: Minute) => minute.events === 0)).toBe(true);
    expect(health.body.ingestion.events_last_hour).toBe(0);
    expect(health.body.ingestion.events_last_minute).toBe(0);
    expect(health.body.rollup).toEqual({ backlog: 0, lag_seconds: 0, oldest_waiting_received_at: null });
    expect(health.body.workflows.by_status).toEqual({
      running: 0,
      completed: 0,
      failed: 0,
      canceled: 0,
      terminated: 0,
      timed_out: 0,
      continued_as_new: 0,
    });
    expect(health.body.workflows.by_type).toEqual([]);
  });

  it('needs a key that may read', async () => {
    const ingestKey = await a('POST', '/v1/api_keys', { name: 'ingest only', access: 'ingest' });
    const ingest = caller(stack.api.baseUrl, ingestKey.body.secret);
    expect((await ingest('GET', '/v1/pipeline/health')).body.error.code).toBe('permission_denied');
    const readKey = await a('POST', '/v1/api_keys', { name: 'read only', access: 'read' });
    expect((await caller(stack.api.baseUrl, readKey.body.secret)('GET', '/v1/pipeline/health')).status).toBe(
      200,
    );
  });

  it('still answers the database parts when Temporal does not answer, with workflows unavailable', async () => {
    const api = await startApi(
      testConfig(stack.database.url, { TEMPORAL_ADDRESS: '127.0.0.1:9', TEMPORAL_REACH_TIMEOUT_MS: '300' }),
    );
    try {
      const key = (await createMerchant(api.baseUrl, 'No Temporal')).key;
      const health = await caller(api.baseUrl, key)('GET', '/v1/pipeline/health');
      expect(health.status).toBe(200);
      expect(health.body.rollup).toEqual({ backlog: 0, lag_seconds: 0, oldest_waiting_received_at: null });
      expect(health.body.ingestion.per_minute).toHaveLength(60);
      expect(health.body.workflows).toEqual({
        available: false,
        error: expect.any(String),
        by_status: null,
        by_type: null,
      });
      // Merchant A's health, read through this API: its database parts as ever.
      const ofA = await caller(api.baseUrl, keyA)('GET', '/v1/pipeline/health');
      expect(ofA.body.rollup.backlog).toBe(8);
      expect(ofA.body.workflows.available).toBe(false);
    } finally {
      await api.close();
    }
  });
});
