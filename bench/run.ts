import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { projectRoot } from '../src/config/project-root.js';
import { startEmbeddedTemporal } from '../src/temporal/dev-server.js';
import { loadBatches, loadSingleEvents, postgresLimit, prepareIngestion } from './ingestion.js';
import { benchCreditDraws } from './credits.js';
import { benchCliImport } from './cli-import.js';
import { benchFirstPaint } from './first-paint.js';
import { benchPreview } from './preview.js';
import { measureAggregationLag } from './lag.js';
import {
  foldWithSql,
  loadMetricReports,
  loadReports,
  prepareReports,
  rollUpEverything,
  seedEvents,
} from './reports.js';
import { soak } from './soak.js';
import { createBenchMerchant, freshDatabase, startApiProcess } from './support/api-process.js';
import { load } from './support/load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LAG_RATE = 2000;
/** The soak's length; 10 minutes unless told (its first minute is the warm-up). */
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);

function show(label: string, figure: string): void {
  console.log(`${label.padEnd(44)} ${figure}`);
}

/** Sizes of the event table at which report latency is measured (events in the database). */
const REPORT_SIZES = (process.env.BENCH_REPORT_EVENTS ?? '1000000,10000000').split(',').map(Number);
const REPORT_SPAN_MS = 30 * 86_400_000;

/**
 * A customer's report over the last 30 days with the table at each size: events seeded with COPY
 * over those days (100 customers, 3 metrics), folded by Tally's own rollup step, then read. A
 * fixed span, not the month so far, so the figures mean the same on the 1st as on the 30th.
 */
async function benchReports(
  baseUrl: string,
  merchant: { id: string; key: string },
  databaseUrl: string,
  figures: Record<string, number>,
): Promise<void> {
  const setup = await prepareReports(baseUrl, merchant);
  const now = new Date();
  const window = { start: new Date(now.getTime() - REPORT_SPAN_MS), end: now };
  let seeded = 0;
  for (const size of REPORT_SIZES) {
    const started = Date.now();
    await seedEvents(databaseUrl, setup, size - seeded, window.start, window.end, seeded);
    const seedSeconds = (Date.now() - started) / 1000;
    // Tally's own rollup step folds the first million (and gives its rate); beyond that a
    // set-based SQL equivalent folds the rest, or seeding 10 million would take the bench half an hour.
    const foldRate = seeded === 0 ? await rollUpEverything(databaseUrl) : (await foldWithSql(databaseUrl), 0);
    seeded = size;
    const label = size >= 1_000_000 ? `${size / 1_000_000}m` : `${size / 1000}k`;
    const report = await loadReports(setup, window, SECONDS);
    figures[`report_p50_ms_${label}`] = report.p50Ms;
    figures[`report_p99_ms_${label}`] = report.p99Ms;
    if (foldRate > 0) figures.rollup_events_per_s = foldRate;
    show(
      `30-day report, ${label} events`,
      `p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms (${report.requestsPerSecond} req/s)`,
    );
    const metric = await loadMetricReports(setup, window, SECONDS);
    figures[`report_metric_one_payer_p50_ms_${label}`] = metric.onePayer.p50Ms;
    figures[`report_metric_all_payers_p50_ms_${label}`] = metric.allPayers.p50Ms;
    figures[`report_all_to_one_payer_ratio_${label}`] =
      Math.round((metric.allPayers.p50Ms / Math.max(metric.onePayer.p50Ms, 1)) * 10) / 10;
    show(
      `  one metric by day, 1 payer / all ${setup.customers.length}`,
      `p50 ${metric.onePayer.p50Ms} ms / ${metric.allPayers.p50Ms} ms, p99 ${metric.onePayer.p99Ms} ms / ${metric.allPayers.p99Ms} ms`,
    );
    show(
      `  seeded with COPY in ${seedSeconds.toFixed(0)} s`,
      foldRate > 0 ? `rollup step: ${foldRate} events/s` : 'folded by SQL',
    );
  }
}

/** The dashboard's and the portal's first paint in Chromium (a portal link of a new customer). */
async function benchPaint(baseUrl: string, merchant: { key: string }, figures: Record<string, number>) {
  const post = async (path: string, body: object) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${merchant.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}`);
    return (await response.json()) as Record<string, string>;
  };
  const customer = await post('/v1/customers', { name: 'Paints the portal' });
  const portal = new URL(
    (await post('/v1/portal_sessions', { customer: customer.id!, expires_in: 3600 })).url!,
  );
  for (const page of await benchFirstPaint(baseUrl, merchant.key, `${portal.pathname}${portal.hash}`)) {
    figures[`first_paint_${page.name}_p50_ms`] = page.fcpP50Ms;
    figures[`first_paint_${page.name}_max_ms`] = page.fcpMaxMs;
    figures[`ready_${page.name}_p50_ms`] = page.readyP50Ms;
    show(
      `first paint, ${page.name} (cold cache)`,
      `p50 ${page.fcpP50Ms} ms, max ${page.fcpMaxMs} ms; heading shown p50 ${page.readyP50Ms} ms ` +
        `[< 1000 ms: ${page.fcpMaxMs < 1000 ? 'ok' : 'MISSED'}]`,
    );
  }
}

/** The soak phase (`BENCH_ONLY=soak`): its figures, and how they stand against the targets. */
async function benchSoak(databaseUrl: string, figures: Record<string, number>): Promise<void> {
  const result = await soak(databaseUrl, SOAK_SECONDS);
  const growth = (start: number, end: number) => Math.round(((end - start) / Math.max(1, start)) * 1000) / 10;
  const apiGrowth = growth(result.rssAfterWarmUpMb.api, result.rssAtEndMb.api);
  const workerGrowth = growth(result.rssAfterWarmUpMb.worker, result.rssAtEndMb.worker);
  const minutes = result.p99ByMinuteMs;
  const p99Ratio = Math.round((minutes.at(-1)! / Math.max(1, minutes[0]!)) * 100) / 100;
  const lagP99 = Math.max(...result.rollupLagP99ByMinuteS);
  Object.assign(figures, {
    soak_capacity_events_per_s: result.capacityPerS,
    soak_rate_events_per_s: result.ratePerS,
    soak_api_rss_growth_pct: apiGrowth,
    soak_worker_rss_growth_pct: workerGrowth,
    soak_p99_last_to_first_minute: p99Ratio,
    soak_rollup_lag_p99_s: lagP99,
    soak_failed_requests: result.requests.failed,
    soak_api_heap_used_after_gc_growth_pct: growth(
      result.apiHeapAfterGcMb.warmUp.heapUsed,
      result.apiHeapAfterGcMb.end.heapUsed,
    ),
    soak_reports: result.requests.reports,
    soak_report_p99_last_minute_ms: result.reportsByMinute.at(-1)?.p99Ms ?? 0,
  });
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  show(
    'soak: single-event capacity / load',
    `${result.capacityPerS} / ${result.ratePerS} events/s, for ${SOAK_SECONDS} s`,
  );
  show(
    '  requests',
    `${result.requests.events} events, ${result.requests.batches} batches of 100, ${result.requests.reports} reports, ` +
      `${result.requests.invoices} invoices, ${result.requests.failed} failed; ${result.webhooksReceived} webhooks received`,
  );
  show(
    '  RSS after warm-up → end (API, worker)',
    `${result.rssAfterWarmUpMb.api} → ${result.rssAtEndMb.api} MiB (${apiGrowth} %), ` +
      `${result.rssAfterWarmUpMb.worker} → ${result.rssAtEndMb.worker} MiB (${workerGrowth} %) ` +
      `[< 10 %: ${verdict(apiGrowth < 10 && workerGrowth < 10)}]`,
  );
  const heap = result.apiHeapAfterGcMb;
  show(
    '  API heap after a full GC, warm-up → end',
    `heapUsed ${heap.warmUp.heapUsed} → ${heap.end.heapUsed} MiB, heapTotal ${heap.warmUp.heapTotal} → ${heap.end.heapTotal} MiB, ` +
      `external ${heap.warmUp.external} → ${heap.end.external} MiB, RSS then ${heap.warmUp.rss} → ${heap.end.rss} MiB`,
  );
  show(
    '  p99 by whole minute (ms)',
    `${minutes.join(', ')} [last ≤ 1.5× first: ${verdict(p99Ratio <= 1.5)}]`,
  );
  show(
    '  reports by minute (count p50/p99 ms)',
    `${result.reportsByMinute.map((m) => `${m.count} ${m.p50Ms}/${m.p99Ms}`).join(', ')}; ` +
      `${result.reportTicksSkipped} of the 200 ms ticks skipped (previous report still running)`,
  );
  show(
    '  rollup lag p99 by minute (s)',
    `${result.rollupLagP99ByMinuteS.join(', ')} [< 5 s: ${verdict(lagP99 < 5)}]`,
  );
}

/**
 * `npm run bench`: the compiled API in its own process on a fresh database, loaded over HTTP
 * from this process (load generator, API and PostgreSQL share the machine). Prints the figures
 * and writes them to bench/results/latest.json. Compare runs by ratios: absolute numbers move
 * with whatever else the machine does.
 */
async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',');
  const runs = (phase: string) => !only || only.includes(phase);
  const databaseUrl = await freshDatabase('tally_bench');
  // Granting credits signals the payer's credit monitor: that phase needs a Temporal server to answer.
  const temporal =
    runs('credits') && !process.env.TEMPORAL_ADDRESS
      ? await startEmbeddedTemporal(
          loadConfig({ TALLY_DATA_DIR: mkdtempSync(join(tmpdir(), 'tally-bench-temporal-')) }),
        )
      : null;
  const api = await startApiProcess(databaseUrl);
  const figures: Record<string, number> = {};
  try {
    const merchant = await createBenchMerchant(api.baseUrl);
    const auth = { authorization: `Bearer ${merchant.key}` };

    if (runs('http')) {
      const floor = await load({ url: `${api.baseUrl}/healthz`, seconds: SECONDS });
      figures.http_floor_requests_per_s = floor.requestsPerSecond;
      show('HTTP floor (GET /healthz, 64 connections)', `${floor.requestsPerSecond} req/s`);
      const read = await load({
        url: `${api.baseUrl}/v1/customers?limit=10`,
        headers: auth,
        seconds: SECONDS,
      });
      figures.list_customers_requests_per_s = read.requestsPerSecond;
      show('authenticated read (GET /v1/customers)', `${read.requestsPerSecond} req/s, p99 ${read.p99Ms} ms`);
    }

    if (runs('ingestion')) {
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
    }

    if (runs('lag')) {
      const setup = await prepareIngestion(api.baseUrl, merchant, 'bench_lag');
      const lag = await measureAggregationLag(databaseUrl, setup, LAG_RATE, SECONDS);
      figures.aggregation_lag_p50_s = lag.p50S;
      figures.aggregation_lag_p99_s = lag.p99S;
      show(
        `logged → aggregated at ${LAG_RATE} events/s`,
        `p50 ${lag.p50S} s, p99 ${lag.p99S} s (${lag.events} events)`,
      );
    }

    if (runs('reports')) await benchReports(api.baseUrl, merchant, databaseUrl, figures);

    if (runs('credits')) {
      const rates = await benchCreditDraws(api.baseUrl, await createBenchMerchant(api.baseUrl), databaseUrl);
      figures.rollup_plain_events_per_s = rates.plainEventsPerS;
      figures.rollup_prepaid_events_per_s = rates.prepaidEventsPerS;
      figures.rollup_prepaid_ratio =
        Math.round((rates.prepaidEventsPerS / rates.plainEventsPerS) * 100) / 100;
      show('rollup step, no credits', `${rates.plainEventsPerS} events/s`);
      show('rollup step, every payer prepaid (drawing)', `${rates.prepaidEventsPerS} events/s`);
      show('prepaid / plain', String(figures.rollup_prepaid_ratio));
    }

    if (runs('preview')) {
      const events = Number(process.env.BENCH_PREVIEW_EVENTS ?? 1_000_000);
      const preview = await benchPreview(
        api.baseUrl,
        await createBenchMerchant(api.baseUrl),
        databaseUrl,
        events,
        SECONDS,
      );
      const millions = `${events / 1_000_000}m`;
      for (const [key, label, figure] of [
        ['additive', 'graduated sum + volume count', preview.additive],
        ['unique', '+ count_unique (5,000 values)', preview.withUnique],
      ] as const) {
        figures[`preview_${key}_p50_ms`] = figure.p50Ms;
        figures[`preview_${key}_p99_ms`] = figure.p99Ms;
        show(
          `invoice preview, ${millions} events, ${label}`,
          `p50 ${figure.p50Ms} ms, p99 ${figure.p99Ms} ms (total ${figure.total}) [p99 < 50 ms: ${figure.p99Ms < 50 ? 'ok' : 'MISSED'}]`,
        );
      }
    }

    if (runs('cli-import')) {
      const cli = await benchCliImport(
        api.baseUrl,
        await createBenchMerchant(api.baseUrl),
        Number(process.env.BENCH_CLI_EVENTS ?? 1_000_000),
      );
      figures.cli_import_api_events_per_s = cli.apiEventsPerS;
      figures.cli_import_events_per_s = cli.cliEventsPerS;
      figures.cli_import_ratio = cli.ratio;
      show(`batch route, ${cli.events} events (4 in flight)`, `${cli.apiEventsPerS} events/s`);
      show(`tally events import, ${cli.events} events`, `${cli.cliEventsPerS} events/s`);
      show('CLI import / batch route', `${cli.ratio} [≥ 0.8: ${cli.ratio >= 0.8 ? 'ok' : 'MISSED'}]`);
    }

    if (runs('first-paint')) await benchPaint(api.baseUrl, await createBenchMerchant(api.baseUrl), figures);

    if (runs('soak')) await benchSoak(databaseUrl, figures);

    figures.api_peak_rss_mb = api.peakRssMb();
    show('API peak RSS', `${figures.api_peak_rss_mb} MiB`);
  } finally {
    await api.stop();
    temporal?.kill('SIGTERM');
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
