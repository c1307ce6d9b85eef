import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { projectRoot } from '../src/config/project-root.js';
import { prepareIngestion, singleEventLoad, type IngestionSetup } from './ingestion.js';
import {
  createBenchMerchant,
  startApiProcess,
  startLocalTemporal,
  stopChild,
} from './support/api-process.js';

const WARM_UP_MS = 60_000;
const MINUTE_MS = 60_000;

export interface SoakResult {
  capacityPerS: number;
  ratePerS: number;
  rssAfterWarmUpMb: { api: number; worker: number };
  rssAtEndMb: { api: number; worker: number };
  /** The API's V8 heap in use right after a full GC (what it still holds), and its heap total then. */
  apiHeapAfterGcMb: { warmUp: HeapFigures; end: HeapFigures };
  /** Whole minutes only: a partial last minute (the run's tail, steps finishing after it) is left out. */
  p99ByMinuteMs: number[];
  reportsByMinute: { count: number; p50Ms: number; p99Ms: number }[];
  /** Report ticks (every 200 ms) skipped because the previous report had not answered yet. */
  reportTicksSkipped: number;
  rollupLagP99ByMinuteS: number[];
  requests: { events: number; batches: number; reports: number; invoices: number; failed: number };
  webhooksReceived: number;
}

export interface HeapFigures {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

const rssMb = (pid: number | undefined) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
};

const quantile = (values: number[], q: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
};
const p99 = (values: number[]) => quantile(values, 0.99);

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const heapFigures = (usage: NodeJS.MemoryUsage): HeapFigures => ({
  rss: mb(usage.rss),
  heapUsed: mb(usage.heapUsed),
  heapTotal: mb(usage.heapTotal),
  external: mb(usage.external),
  arrayBuffers: mb(usage.arrayBuffers),
});

/**
 * The soak: its own Temporal dev server, worker and API process on the bench database. First
 * the single-event capacity (10 s flat out), then `seconds` of mixed load at half of it: single
 * events at that rate, a batch of 100 each second, a report every 200 ms, a billing invoice
 * (charged, announced by webhooks to a receiver here) every 10 s. Records RSS after a minute's
 * warm-up and at the end, each minute's p99 latency, and each minute's rollup lag p99.
 */
export async function soak(databaseUrl: string, seconds: number): Promise<SoakResult> {
  const temporal = await startLocalTemporal();
  const env = { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: 'tally-soak' };
  const worker = spawn(process.execPath, [join(projectRoot(), 'dist', 'src', 'worker.js')], {
    env: { ...process.env, ...env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', WORKER_METRICS_PORT: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const api = await startApiProcess(databaseUrl, 3101, env, { memoryProbe: true });
  api.child.once('exit', (code, signal) =>
    console.error(
      `soak: the API process exited (code ${code}, signal ${signal}) after ${process.uptime().toFixed(0)} s of the bench`,
    ),
  );
  const received = { count: 0 };
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received.count += 1;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const setup = await prepareIngestion(api.baseUrl, await createBenchMerchant(api.baseUrl), 'soak_calls');
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${api.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${setup.key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const payer = (await (await call('POST', '/v1/customers', { name: 'soak payer' })).json()) as {
      id: string;
    };
    await call('POST', `/v1/customers/${payer.id}/payment_methods`, { token: 'tok_visa' });
    const port = (receiver.address() as AddressInfo).port;
    await call('POST', '/v1/webhook_endpoints', {
      url: `http://127.0.0.1:${port}/soak`,
      enabled_events: ['*'],
    });

    const capacity = await singleEvents(setup, { seconds: 10, connections: 32 });
    const rate = Math.max(1, Math.round(capacity.requestsPerSecond / 2));

    const started = Date.now();
    // A request belongs to the minute it was sent in, so a slow one does not land in a later minute.
    const minuteOf = (at = Date.now()) => Math.floor((at - started) / MINUTE_MS);
    const fullMinutes = Math.floor((seconds * 1000) / MINUTE_MS);
    const latencies: number[][] = [];
    const reportLatencies: number[][] = [];
    const record = (ms: number, sentAt = Date.now() - ms) => (latencies[minuteOf(sentAt)] ??= []).push(ms);
    const counts = { events: 0, batches: 0, reports: 0, invoices: 0, failed: 0 };
    const lagByMinute: number[][] = [];
    let rssAfterWarmUp = { api: 0, worker: 0 };
    let heapAtWarmUp: HeapFigures | null = null;
    let reportTicksSkipped = 0;
    const timed = async (what: keyof typeof counts, request: () => Promise<Response>) => {
      const at = Date.now();
      const response = await request().catch(() => null);
      await response?.arrayBuffer().catch(() => null);
      const ms = Date.now() - at;
      record(ms, at);
      if (what === 'reports') (reportLatencies[minuteOf(at)] ??= []).push(ms);
      if (!response || response.status >= 300) counts.failed += 1;
      else counts[what] += 1;
    };
    let invoicedUntil = new Date(started);
    const loops: Array<[number, () => Promise<void>]> = [
      [
        1000,
        () =>
          timed('batches', () =>
            call('POST', '/v1/billing/metering_events/batch', {
              events: Array.from({ length: 100 }, () => ({
                customer: payer.id,
                event_name: setup.eventName,
                reference: randomUUID(),
                value: '1',
              })),
            }),
          ),
      ],
      [
        200,
        () =>
          timed('reports', () =>
            call(
              'GET',
              `/v1/billing/report/customer?customer_id=${setup.customer}&start=${new Date(started - 3_600_000).toISOString()}&end=${new Date().toISOString()}`,
            ),
          ),
      ],
      [
        10_000,
        async () => {
          const end = new Date();
          const window = { start_date: invoicedUntil.toISOString(), end_date: end.toISOString() };
          invoicedUntil = end;
          await timed('invoices', () =>
            call('POST', '/v1/billing/billing_invoice', {
              customer: payer.id,
              ...window,
              collection_method: 'auto_charge',
            }),
          );
        },
      ],
      [
        5000,
        async () => {
          const { rows } = await db.query<{ lag: number | null }>(
            `SELECT extract(epoch FROM now() - min(received_at))::float8 AS lag
               FROM billing_metric_events WHERE status = 'logged'`,
          );
          (lagByMinute[minuteOf()] ??= []).push(rows[0]?.lag ?? 0);
          if (rssAfterWarmUp.api === 0 && Date.now() - started >= WARM_UP_MS) {
            rssAfterWarmUp = { api: rssMb(api.child.pid), worker: rssMb(worker.pid) };
            heapAtWarmUp = heapFigures((await api.probeMemory()).after);
          }
        },
      ],
    ];
    // Each loop runs one step at a time; the last ones are awaited before anything is closed.
    const running = new Set<Promise<void>>();
    const timers = loops.map(([everyMs, step], index) => {
      let busy = false;
      return setInterval(() => {
        if (busy) {
          if (index === 1) reportTicksSkipped += 1;
          return;
        }
        busy = true;
        const run: Promise<void> = step()
          .catch(() => {
            counts.failed += 1;
          })
          .finally(() => {
            busy = false;
            running.delete(run);
          });
        running.add(run);
      }, everyMs);
    });
    const steady = await singleEvents(setup, {
      seconds,
      connections: 16,
      overallRate: rate,
      onLatency: record,
    });
    console.error(`soak: steady load ended after ${Math.round((Date.now() - started) / 1000)} s`);
    for (const timer of timers) clearInterval(timer);
    await Promise.all(running);
    counts.events = steady.requests;
    counts.failed += steady.failed;
    const rssAtEnd = { api: rssMb(api.child.pid), worker: rssMb(worker.pid) };
    const heapAtEnd = heapFigures((await api.probeMemory()).after);
    if (rssAfterWarmUp.api === 0) rssAfterWarmUp = rssAtEnd;
    const whole = <T>(byMinute: T[][]) =>
      Array.from({ length: Math.max(1, fullMinutes) }, (_, minute) => byMinute[minute] ?? []);
    return {
      capacityPerS: capacity.requestsPerSecond,
      ratePerS: rate,
      rssAfterWarmUpMb: rssAfterWarmUp,
      rssAtEndMb: rssAtEnd,
      apiHeapAfterGcMb: { warmUp: heapAtWarmUp ?? heapAtEnd, end: heapAtEnd },
      p99ByMinuteMs: whole(latencies).map((minute) => Math.round(p99(minute))),
      reportsByMinute: whole(reportLatencies).map((minute) => ({
        count: minute.length,
        p50Ms: Math.round(quantile(minute, 0.5)),
        p99Ms: Math.round(p99(minute)),
      })),
      reportTicksSkipped,
      rollupLagP99ByMinuteS: whole(lagByMinute).map((minute) => Math.round(p99(minute) * 100) / 100),
      requests: counts,
      webhooksReceived: received.count,
    };
  } finally {
    await db.end();
    receiver.close();
    await api.stop();
    await stopChild(worker);
    await temporal.teardown();
  }
}

async function singleEvents(
  setup: IngestionSetup,
  options: { seconds: number; connections: number; overallRate?: number; onLatency?: (ms: number) => void },
) {
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        ...singleEventLoad(setup),
        connections: options.connections,
        overallRate: options.overallRate,
        duration: options.seconds,
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    const onLatency = options.onLatency;
    if (onLatency)
      instance.on('response', (_client, _status, _bytes, responseTime) => onLatency(responseTime));
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    requests: result.requests.total,
    failed: result.non2xx + result.errors,
  };
}
