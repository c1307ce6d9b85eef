import { spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { projectRoot } from '../src/config/project-root.js';
import { type IngestionSetup, singleEventLoad } from './ingestion.js';
import { startLocalTemporal } from './support/api-process.js';

async function waitForDrain(databaseUrl: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM billing_metric_events WHERE status = 'logged'",
      );
      if (rows[0]?.n === 0) return;
      if (Date.now() > deadline)
        throw new Error(`the rollup left ${rows[0]?.n} events unfolded after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}

/**
 * Lag from logging to `aggregated` under a steady load: a real Temporal dev server and Tally's
 * worker (its rollup workflow), single events at `rate` per second, then each event's
 * aggregated_at − received_at, read back from the database.
 */
export async function measureAggregationLag(
  databaseUrl: string,
  setup: IngestionSetup,
  rate: number,
  seconds: number,
) {
  const temporal = await startLocalTemporal();
  const worker = spawn(process.execPath, [join(projectRoot(), 'dist', 'src', 'worker.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'tally-bench',
      LOG_LEVEL: 'warn',
      WORKER_METRICS_PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForDrain(databaseUrl, 600_000); // what earlier phases left unfolded
    const result = await autocannon({
      ...singleEventLoad(setup),
      connections: 32,
      overallRate: rate,
      duration: seconds,
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`lag load: ${result.non2xx} non-2xx, ${result.errors} errors`);
    await waitForDrain(databaseUrl, 60_000);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ p50: number; p99: number; n: number }>(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS p99,
                count(*)::int AS n
           FROM (SELECT extract(epoch FROM aggregated_at - received_at)::float8 AS lag
                   FROM billing_metric_events WHERE metric_id = $1) AS lags`,
        [setup.metricId],
      );
      const row = rows[0] as { p50: number; p99: number; n: number };
      return {
        p50S: Math.round(row.p50 * 100) / 100,
        p99S: Math.round(row.p99 * 100) / 100,
        events: row.n,
        rate: Math.round(result.requests.average),
      };
    } finally {
      await client.end();
    }
  } finally {
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    await temporal.teardown();
  }
}
