import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/config/project-root.js';
import { loadBatches, loadSingleEvents, postgresLimit, prepareIngestion } from './ingestion.js';
import { createBenchMerchant, freshDatabase, startApiProcess } from './support/api-process.js';
import { load } from './support/load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

function show(label: string, figure: string): void {
  console.log(`${label.padEnd(44)} ${figure}`);
}

/**
 * `npm run bench`: the compiled API in its own process on a fresh database, loaded over HTTP
 * from this process (load generator, API and PostgreSQL share the machine). Prints the figures
 * and writes them to bench/results/latest.json. Compare runs by ratios: absolute numbers move
 * with whatever else the machine does.
 */
async function main(): Promise<void> {
  const databaseUrl = await freshDatabase('tally_bench');
  const api = await startApiProcess(databaseUrl);
  const figures: Record<string, number> = {};
  try {
    const merchant = await createBenchMerchant(api.baseUrl);
    const auth = { authorization: `Bearer ${merchant.key}` };

    if (process.env.BENCH_ONLY === 'ingestion') {
      const setup = await prepareIngestion(api.baseUrl, merchant);
      const single = await loadSingleEvents(setup, SECONDS);
      show('single events (64 connections)', `${single.eventsPerSecond} events/s, p99 ${single.p99Ms} ms`);
      return;
    }
    const floor = await load({ url: `${api.baseUrl}/healthz`, seconds: SECONDS });
    figures.http_floor_requests_per_s = floor.requestsPerSecond;
    show('HTTP floor (GET /healthz, 64 connections)', `${floor.requestsPerSecond} req/s`);
    const read = await load({ url: `${api.baseUrl}/v1/customers?limit=10`, headers: auth, seconds: SECONDS });
    figures.list_customers_requests_per_s = read.requestsPerSecond;
    show('authenticated read (GET /v1/customers)', `${read.requestsPerSecond} req/s, p99 ${read.p99Ms} ms`);

    const setup = await prepareIngestion(api.baseUrl, merchant);
    const single = await loadSingleEvents(setup, SECONDS);
    figures.ingest_single_events_per_s = single.eventsPerSecond;
    figures.ingest_single_p50_ms = single.p50Ms;
    figures.ingest_single_p99_ms = single.p99Ms;
    show(
      'single events (64 connections)',
      `${single.eventsPerSecond} events/s, p50 ${single.p50Ms} ms, p99 ${single.p99Ms} ms`,
    );

    const batch = await loadBatches(setup, SECONDS);
    figures.ingest_batch_events_per_s = batch.eventsPerSecond;
    show(
      'batches of 1,000 (8 connections)',
      `${batch.eventsPerSecond} events/s, p99 ${batch.p99Ms} ms a batch`,
    );

    const limit = await postgresLimit(databaseUrl, setup, SECONDS);
    figures.postgres_limit_events_per_s = limit.eventsPerSecond;
    figures.batch_to_limit_ratio = Math.round((batch.eventsPerSecond / limit.eventsPerSecond) * 100) / 100;
    show('PostgreSQL limit (1 client, same INSERT)', `${limit.eventsPerSecond} events/s`);
    show('batch rate / PostgreSQL limit', String(figures.batch_to_limit_ratio));

    figures.api_peak_rss_mb = api.peakRssMb();
    show('API peak RSS', `${figures.api_peak_rss_mb} MiB`);
  } finally {
    await api.stop();
  }
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'latest.json'),
    `${JSON.stringify({ at: new Date().toISOString(), seconds: SECONDS, ...figures }, null, 2)}\n`,
  );
  console.log('figures written to bench/results/latest.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
