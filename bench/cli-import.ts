import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../src/config/project-root.js';
import { prepareIngestion, type IngestionSetup } from './ingestion.js';

const BATCH_SIZE = 1000;
/** Batches in flight at once, for both: the CLI's default `--concurrency`. */
const CONCURRENCY = 4;

export interface CliImportFigures {
  events: number;
  apiEventsPerS: number;
  cliEventsPerS: number;
  /** The CLI's rate over the API's: the share of the batch route's capacity an import gets. */
  ratio: number;
}

function event(setup: IngestionSetup, reference: string, i: number) {
  return { customer: setup.customer, event_name: setup.eventName, reference, value: String(i % 100) };
}

/** `count` events as NDJSON, each with its own reference, streamed to a file. */
async function writeFile(path: string, setup: IngestionSetup, count: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < count; i += 1) {
    if (!out.write(`${JSON.stringify(event(setup, `cli-${i}`, i))}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The batch route's own rate: `count` events posted in batches of 1,000, CONCURRENCY at a time. */
async function postDirectly(setup: IngestionSetup, count: number): Promise<number> {
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < count) {
      const from = next;
      const to = Math.min(count, next + BATCH_SIZE);
      next = to;
      const events = [];
      for (let i = from; i < to; i += 1) events.push(event(setup, `api-${i}`, i));
      const response = await fetch(`${setup.baseUrl}/v1/billing/metering_events/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${setup.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      const body = (await response.json()) as { created?: number };
      if (response.status !== 200 || body.created !== to - from)
        throw new Error(`a batch answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return Math.round((count / (Date.now() - started)) * 1000);
}

/** `tally events import <file>` (the built CLI, its own process), timed from spawn to exit. */
async function importWithCli(setup: IngestionSetup, file: string, count: number): Promise<number> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      join(projectRoot(), 'dist', 'cli', 'tally.js'),
      'events',
      'import',
      file,
      '--json',
      '--quiet',
      '--concurrency',
      String(CONCURRENCY),
    ],
    {
      env: { ...process.env, TALLY_URL: setup.baseUrl, TALLY_API_KEY: setup.key },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  const [code] = (await once(child, 'close')) as [number | null];
  const elapsed = Date.now() - started;
  const summary = JSON.parse(stdout) as { created: number; rejected: number };
  if (code !== 0 || summary.created !== count)
    throw new Error(`the CLI import exited ${code}: ${stdout.slice(0, 500)}`);
  return Math.round((count / elapsed) * 1000);
}

/**
 * The CLI's import rate against the API's batch rate on the same server in one run: the API
 * first (batches of 1,000 posted from this process, 4 in flight), then `tally events import` of a
 * file of as many events (other references, the same shape), both storing every event.
 */
export async function benchCliImport(
  baseUrl: string,
  merchant: { id: string; key: string },
  count: number,
): Promise<CliImportFigures> {
  const setup = await prepareIngestion(baseUrl, merchant, 'bench_cli_import');
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-cli-'));
  try {
    const file = join(dir, 'events.ndjson');
    await writeFile(file, setup, count);
    const apiEventsPerS = await postDirectly(setup, count);
    const cliEventsPerS = await importWithCli(setup, file, count);
    return {
      events: count,
      apiEventsPerS,
      cliEventsPerS,
      ratio: Math.round((cliEventsPerS / apiEventsPerS) * 100) / 100,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
