import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { INSERT_EVENTS } from '../src/metering/events.repository.js';

export interface IngestionSetup {
  baseUrl: string;
  key: string;
  merchantId: string;
  customer: string;
  eventName: string;
  metricId: string;
}

const CONNECTIONS = 64;
const BATCH_SIZE = 1000;

async function post(setup: IngestionSetup, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${setup.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${setup.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201)
    throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** A customer and a sum metric to log against. */
export async function prepareIngestion(
  baseUrl: string,
  merchant: { id: string; key: string },
  eventName = 'bench_api_calls',
): Promise<IngestionSetup> {
  const setup = {
    baseUrl,
    key: merchant.key,
    merchantId: merchant.id,
    customer: '',
    eventName,
    metricId: '',
  };
  setup.customer = (await post(setup, '/v1/customers', { name: 'Bench customer' })).id;
  setup.metricId = (
    await post(setup, '/v1/billing/metering', {
      name: 'API calls',
      event_name: setup.eventName,
      aggregation: 'sum',
      unit_amount: '0.001',
    })
  ).id;
  return setup;
}

function event(setup: IngestionSetup) {
  return { customer: setup.customer, event_name: setup.eventName, reference: randomUUID(), value: '1.5' };
}

/** autocannon's options for logging single events, one per request, each with a new reference. */
export function singleEventLoad(setup: IngestionSetup) {
  return {
    url: `${setup.baseUrl}/v1/billing/metering_events`,
    requests: [
      {
        method: 'POST' as const,
        headers: { authorization: `Bearer ${setup.key}`, 'content-type': 'application/json' },
        setupRequest: (request: autocannon.Request) => ({ ...request, body: JSON.stringify(event(setup)) }),
      },
    ],
  };
}

/** Single events, one per request, over 64 keep-alive connections; every reference new. */
export async function loadSingleEvents(setup: IngestionSetup, seconds: number) {
  const result = await autocannon({ ...singleEventLoad(setup), connections: CONNECTIONS, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`single events: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    eventsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/** Batches of 1,000 events per request. */
export async function loadBatches(setup: IngestionSetup, seconds: number, connections = 8) {
  const result = await autocannon({
    url: `${setup.baseUrl}/v1/billing/metering_events/batch`,
    connections,
    duration: seconds,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        headers: { authorization: `Bearer ${setup.key}`, 'content-type': 'application/json' },
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ events: Array.from({ length: BATCH_SIZE }, () => event(setup)) }),
        }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`batches: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    eventsPerSecond: Math.round((result.requests.total * BATCH_SIZE) / seconds),
    p99Ms: result.latency.p99,
  };
}

/**
 * PostgreSQL's own rate for the same rows: one client sending Tally's multi-row
 * INSERT … ON CONFLICT DO NOTHING, 1,000 rows a statement, with no HTTP or validation.
 */
export async function postgresLimit(databaseUrl: string, setup: IngestionSetup, seconds: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let rows = 0;
  const deadline = Date.now() + seconds * 1000;
  const start = Date.now();
  try {
    while (Date.now() < deadline) {
      const now = new Date();
      const ids = Array.from({ length: BATCH_SIZE }, () => `bme_limit_${randomUUID()}`);
      const column = <T>(value: T) => Array.from({ length: BATCH_SIZE }, () => value);
      await client.query(INSERT_EVENTS, [
        column(setup.merchantId),
        ids,
        ids.map(() => randomUUID()),
        column(setup.metricId),
        column(setup.eventName),
        column(setup.customer),
        column(null),
        column('1.5'),
        column(null),
        column(now),
        column(null),
        column(null),
        column(null),
        column('{}'),
        column(Buffer.alloc(32)),
        column(now),
      ]);
      rows += BATCH_SIZE;
    }
  } finally {
    await client.end();
  }
  return { eventsPerSecond: Math.round(rows / ((Date.now() - start) / 1000)) };
}
