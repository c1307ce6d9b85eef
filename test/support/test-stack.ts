import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DefaultLogger, Runtime, type NativeConnection } from '@temporalio/worker';
import { Client } from 'pg';
import { WorkerModule } from '../../src/app.module.js';
import { loadConfig, type TallyConfig } from '../../src/config/config.js';
import { prepareDatabase } from '../../src/database/prepare-database.js';
import { createHttpApp } from '../../src/http-app.js';
import { createTallyWorker, type WorkerGroup } from '../../src/temporal/worker.factory.js';
import { serverUrl, testEnv } from './test-env.js';
import { checkConformance } from './openapi-conformance.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** The fixed keyring webhook secrets are sealed with in tests (in-process apps and child processes alike). */
export const TEST_WEBHOOK_SECRET_KEYS = `test1:${Buffer.alloc(32, 0x5e).toString('base64')}`;

const TEMPLATE_LOCK_KEY = 7_305_012;

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file, cloned from this run's migrated template; the first
 * file to ask creates the template (under an advisory lock, as files run in parallel).
 */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `tally_test_${randomBytes(6).toString('hex')}`;
  const template = testEnv('templateDatabase');
  await withAdminClient(async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (found.rowCount === 0) await prepareDatabase({ DATABASE_URL: serverUrl(template) });
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
  return {
    url: serverUrl(name),
    drop: () =>
      withAdminClient((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/** Configuration for a test: its own database and task queue, the run's Temporal server, quiet logs. */
export function testConfig(
  databaseUrl: string,
  overrides: Record<string, string | undefined> = {},
): TallyConfig {
  return loadConfig({
    TALLY_ENV: 'test',
    LOG_LEVEL: 'silent',
    API_DOCS_PAGE: 'false',
    DASHBOARD: 'false',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: testEnv('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `tally-test-${randomBytes(6).toString('hex')}`,
    TALLY_ADMIN_TOKEN: ADMIN_TOKEN,
    WEBHOOK_SECRET_KEYS: TEST_WEBHOOK_SECRET_KEYS,
    PORT: '0',
    // Tests log tens of thousands of events in seconds; the rate-limit test sets its own limits.
    RATE_LIMIT_REQUESTS_PER_S: '0',
    RATE_LIMIT_EVENTS_PER_S: '0',
    ...overrides,
  });
}

export interface RunningApi {
  app: NestFastifyApplication;
  baseUrl: string;
  close: () => Promise<void>;
}

/** The real API (NestJS on Fastify) listening on a free port. */
export async function startApi(config: TallyConfig): Promise<RunningApi> {
  const app = await createHttpApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('API did not bind a TCP port');
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

export interface RunningWorker {
  app: INestApplicationContext;
  worker: WorkerGroup;
  connection: NativeConnection;
  stop: () => Promise<void>;
}

/** The real Temporal worker (workflows bundled once per run) polling the config's task queue. */
export async function startWorker(
  config: TallyConfig,
  options: { backgroundWorkflows?: boolean } = {},
): Promise<RunningWorker> {
  if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger('WARN') });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  const { worker, connection } = await createTallyWorker(app, config, {
    workflowBundlePath: testEnv('workflowBundle'),
    ...options,
  });
  const running = worker.run();
  return {
    app,
    worker,
    connection,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await app.close();
    },
  };
}

/** A JSON HTTP call; answers status, body and headers. */
export async function http(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let payload: string | undefined = options.rawBody;
  if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  checkConformance(method, path, response.status, body);
  return { status: response.status, body, headers: response.headers };
}

/** A new merchant through the admin API; answers its id and secret key. */
export async function createMerchant(
  baseUrl: string,
  name = 'Test merchant',
): Promise<{ id: string; key: string }> {
  const response = await http(baseUrl, 'POST', '/admin/merchants', { key: ADMIN_TOKEN, body: { name } });
  if (response.status !== 201)
    throw new Error(`creating a merchant answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { id: response.body.merchant.id, key: response.body.secret_key };
}

export interface TestStack {
  config: TallyConfig;
  database: { url: string; drop: () => Promise<void> };
  api: RunningApi;
  /** Set when the stack was asked for a worker. */
  worker?: RunningWorker;
  /** A direct connection to the test's database, for checking what was stored. */
  sql: Client;
}

/**
 * The usual test file's world, built in beforeAll and torn down in afterAll: its own
 * database, the real API on a free port and, when asked, a real worker on its own task queue.
 * The returned object is filled in once beforeAll has run.
 */
export function useTestStack(options: { worker?: boolean; config?: Record<string, string> } = {}): TestStack {
  const stack = {} as TestStack;
  beforeAll(async () => {
    stack.database = await createTestDatabase();
    stack.config = testConfig(stack.database.url, options.config);
    stack.api = await startApi(stack.config);
    if (options.worker) stack.worker = await startWorker(stack.config);
    stack.sql = new Client({ connectionString: stack.database.url });
    await stack.sql.connect();
  });
  afterAll(async () => {
    await stack.sql?.end();
    await stack.worker?.stop();
    await stack.api?.close();
    await stack.database?.drop();
  });
  return stack;
}

/** Polls `check` until it answers something other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 20_000, intervalMs = 50, what = 'the condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
