import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { projectRoot } from '../../src/config/project-root.js';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';

function serverUrl(database: string): string {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tally');
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh database for a benchmark run (dropped first, so runs are comparable). */
export async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  return serverUrl(name);
}

export interface ApiProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Peak resident memory of the API process so far (VmHWM), in MiB. */
  peakRssMb: () => number;
  /** With `memoryProbe`: a full GC in the API process, and its memory before and after (bench/support/memory-probe.ts). */
  probeMemory: () => Promise<MemoryProbe>;
  stop: () => Promise<void>;
}

export interface MemoryProbe {
  gcMs: number;
  before: NodeJS.MemoryUsage;
  after: NodeJS.MemoryUsage;
  snapshot: string | null;
}

/** The compiled API (`dist/src/main.js`) in its own process, so the load generator does not share its event loop. */
export async function startApiProcess(
  databaseUrl: string,
  port = 3100,
  env: Record<string, string> = {},
  options: { memoryProbe?: boolean } = {},
): Promise<ApiProcess> {
  // BENCH_API_PROFILE=<dir> writes a V8 CPU profile of the API process there, for finding what bounds a figure.
  const profile = process.env.BENCH_API_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_API_PROFILE}`]
    : [];
  const probeFile = options.memoryProbe
    ? join(tmpdir(), `tally-bench-memory-${process.pid}-${port}.jsonl`)
    : null;
  if (probeFile) writeFileSync(probeFile, '');
  const probe = probeFile
    ? [
        '--expose-gc',
        '--import',
        pathToFileURL(join(projectRoot(), 'dist', 'bench', 'support', 'memory-probe.js')).href,
      ]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, ...probe, join(projectRoot(), 'dist', 'src', 'main.js')],
    {
      env: {
        ...process.env,
        ...(probeFile && { BENCH_MEMORY_PROBE_FILE: probeFile }),
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        TALLY_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
        // The bench measures capacity, which a merchant's rate limit would cap.
        RATE_LIMIT_REQUESTS_PER_S: '0',
        RATE_LIMIT_EVENTS_PER_S: '0',
        TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
    const up = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error('the API did not start within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    child,
    peakRssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      return Math.round(kb / 1024);
    },
    probeMemory: async () => {
      if (!probeFile) throw new Error('the API was started without memoryProbe');
      const lines = () => readFileSync(probeFile, 'utf8').split('\n').filter(Boolean);
      const seen = lines().length;
      child.kill('SIGWINCH');
      const deadline = Date.now() + 120_000;
      while (lines().length === seen) {
        if (Date.now() > deadline) throw new Error('the API wrote no memory probe within 120 s');
        await new Promise((r) => setTimeout(r, 50));
      }
      return JSON.parse(lines()[seen]!) as MemoryProbe;
    },
    stop: () => stopChild(child),
  };
}

/**
 * SIGTERM, then SIGKILL if the process has not exited within `graceMs`; at once if it already
 * has (waiting for 'exit' from a process that is gone would wait forever).
 */
export async function stopChild(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function createBenchMerchant(baseUrl: string): Promise<{ id: string; key: string }> {
  const response = await fetch(`${baseUrl}/admin/merchants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (response.status !== 201) throw new Error(`creating the bench merchant answered ${response.status}`);
  const body = (await response.json()) as { merchant: { id: string }; secret_key: string };
  return { id: body.merchant.id, key: body.secret_key };
}

/** A Temporal dev server of the phase's own (in memory), from the CLI the project installs. */
export function startLocalTemporal(): Promise<TestWorkflowEnvironment> {
  const { TEMPORAL_CLI_PATH } = loadConfig();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: TEMPORAL_CLI_PATH },
      ip: '127.0.0.1',
      extraArgs: ['--log-level', 'error'],
    },
  });
}
