import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { PipelineEventBus } from '../src/pipeline/pipeline-events.js';
import { RollupRepository } from '../src/usage/rollup.repository.js';

export interface ReportSetup {
  baseUrl: string;
  key: string;
  merchantId: string;
  customers: string[];
  metrics: { id: string; eventName: string }[];
}

/** POSTs a create with the merchant's key; answers the created object's id. */
export async function post(
  baseUrl: string,
  key: string,
  path: string,
  body: unknown,
): Promise<{ id: string }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201)
    throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** 100 customers and three metrics (sum, count, count_unique) to spread seeded events over. */
export async function prepareReports(
  baseUrl: string,
  merchant: { id: string; key: string },
): Promise<ReportSetup> {
  const customers: string[] = [];
  for (let i = 0; i < 100; i += 1)
    customers.push((await post(baseUrl, merchant.key, '/v1/customers', {})).id);
  const metrics = [];
  for (const aggregation of ['sum', 'count', 'count_unique']) {
    const eventName = `report_${aggregation}`;
    const metric = await post(baseUrl, merchant.key, '/v1/billing/metering', {
      name: eventName,
      event_name: eventName,
      aggregation,
      unit_amount: '0.001',
    });
    metrics.push({ id: metric.id, eventName });
  }
  return { baseUrl, key: merchant.key, merchantId: merchant.id, customers, metrics };
}

/** Appends `count` events spread evenly over [from, to) across the customers and metrics, with COPY. */
export async function seedEvents(
  databaseUrl: string,
  setup: ReportSetup,
  count: number,
  from: Date,
  to: Date,
  offset: number,
) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const span = to.getTime() - from.getTime();
    const receivedAt = new Date().toISOString();
    function* rows() {
      for (let n = offset; n < offset + count; n += 1) {
        const metric = setup.metrics[n % setup.metrics.length]!;
        const customer = setup.customers[Math.floor(n / 3) % setup.customers.length]!;
        const timestamp = new Date(from.getTime() + ((n * 7919) % span)).toISOString();
        const value = metric.eventName === 'report_count_unique' ? '' : String(n % 10);
        const unique = metric.eventName === 'report_count_unique' ? `user-${n % 5000}` : '';
        yield `${setup.merchantId},bme_seed_${n},seed-${n},${metric.id},${metric.eventName},${customer},${value},${unique},${timestamp},\\x00,${receivedAt}\n`;
      }
    }
    const copy = client.query(
      copyFrom(`COPY billing_metric_events (merchant_id, id, reference, metric_id, event_name, customer_id, value,
        unique_value, "timestamp", payload_hash, received_at) FROM STDIN (FORMAT csv)`),
    );
    await pipeline(Readable.from(rows(), { objectMode: false }), copy);
  } finally {
    await client.end();
  }
}

/** Runs Tally's own rollup step until nothing is left to fold; answers events folded per second. */
export async function rollUpEverything(databaseUrl: string): Promise<number> {
  const dataSource = await new DataSource(
    dataSourceOptions({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: 4 }),
  ).initialize();
  const rollup = new RollupRepository(dataSource, new PipelineEventBus());
  const started = Date.now();
  let folded = 0;
  let rate = 0;
  try {
    const loop = async () => {
      for (;;) {
        const batch = await rollup.rollUpBatch(20_000);
        folded += batch.folded;
        if (batch.folded === 0) return;
      }
    };
    await Promise.all([loop(), loop()]);
    rate = Math.round(folded / ((Date.now() - started) / 1000));
    // What autovacuum does in steady state (the migration tunes it for these tables); a bench
    // that reads right after folding millions of rows would otherwise measure dead index entries.
    await dataSource.query('VACUUM ANALYZE billing_metric_events');
    await dataSource.query('VACUUM ANALYZE usage_buckets');
  } finally {
    await dataSource.destroy();
  }
  return rate;
}

/**
 * The same fold as the rollup step, as one set-based statement, for seeding millions of rows
 * quickly (sum, count and count_unique only: what prepareReports defines). Bench-only.
 */
export async function foldWithSql(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`
      INSERT INTO usage_buckets AS b (merchant_id, metric_id, payer_id, hour, count, sum, markup_sum, duration_ms, distinct_counts)
      SELECT merchant_id, metric_id, customer_id, hour, sum(n), sum(total), 0, 0,
             coalesce(jsonb_object_agg(unique_value, n) FILTER (WHERE unique_value IS NOT NULL), '{}'::jsonb)
        FROM (SELECT merchant_id, metric_id, customer_id, date_trunc('hour', "timestamp") AS hour, unique_value,
                     count(*) AS n, coalesce(sum(value), 0) AS total
                FROM billing_metric_events WHERE status = 'logged'
               GROUP BY 1, 2, 3, 4, 5) AS per_value
       GROUP BY 1, 2, 3, 4
      ON CONFLICT (merchant_id, metric_id, payer_id, hour) DO UPDATE SET
        count = b.count + EXCLUDED.count, sum = b.sum + EXCLUDED.sum,
        distinct_counts = (SELECT coalesce(jsonb_object_agg(key, n), '{}'::jsonb)
                             FROM (SELECT key, sum(value::bigint) AS n
                                     FROM (SELECT * FROM jsonb_each_text(b.distinct_counts)
                                           UNION ALL SELECT * FROM jsonb_each_text(EXCLUDED.distinct_counts)) AS c
                                    GROUP BY key) AS v)`);
    await client.query(
      `UPDATE billing_metric_events SET status = 'aggregated', aggregated_at = now() WHERE status = 'logged'`,
    );
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE billing_metric_events');
    await client.query('VACUUM ANALYZE usage_buckets');
  } finally {
    await client.end();
  }
}

/** Latency of one report request, one after another (service time, not queueing). */
async function loadReport(setup: ReportSetup, path: string, seconds: number) {
  const result = await autocannon({
    url: `${setup.baseUrl}${path}`,
    connections: 1,
    duration: seconds,
    headers: { authorization: `Bearer ${setup.key}` },
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`reports: ${result.non2xx} non-2xx, ${result.errors} errors on ${path}`);
  return {
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requestsPerSecond: Math.round(result.requests.average),
  };
}

const rangeOf = (window: { start: Date; end: Date }) =>
  `start=${window.start.toISOString()}&end=${window.end.toISOString()}`;

/** Latency of one customer's report (every metric) over `window`. */
export function loadReports(setup: ReportSetup, window: { start: Date; end: Date }, seconds: number) {
  return loadReport(
    setup,
    `/v1/billing/report/customer?customer_id=${setup.customers[0]}&${rangeOf(window)}`,
    seconds,
  );
}

/**
 * Latency of the one-metric report with a daily series over `window`, for one customer and for
 * all of them (`payers=all`: each of the 100 customers read and priced on its own, then added up).
 */
export async function loadMetricReports(
  setup: ReportSetup,
  window: { start: Date; end: Date },
  seconds: number,
) {
  const path = `/v1/billing/report/event/report_sum?${rangeOf(window)}&window_size=day`;
  return {
    onePayer: await loadReport(setup, `${path}&customer_id=${setup.customers[0]}`, seconds),
    allPayers: await loadReport(setup, `${path}&payers=all`, seconds),
  };
}
