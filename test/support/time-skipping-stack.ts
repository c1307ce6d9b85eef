import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client } from 'pg';
import { projectRoot } from '../../src/config/project-root.js';
import { caller, type Call } from './billing-fixtures.js';
import {
  createMerchant,
  createTestDatabase,
  type RunningApi,
  type RunningWorker,
  startApi,
  startWorker,
} from './test-stack.js';
import { testConfig } from './test-stack.js';

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  api: RunningApi;
  worker: RunningWorker;
  sql: Client;
  /** A merchant's caller on the API. */
  call: Call;
}

/**
 * The real API, worker and PostgreSQL on Temporal's time-skipping test server, for waits of
 * days and months. The rollup and sweeper loops stay off: time skipping would only ever reach
 * their second-long sleeps. Settings are the production defaults unless `config` overrides them.
 */
export function useTimeSkippingStack(config: Record<string, string> = {}): TimeSkippingStack {
  const stack = {} as TimeSkippingStack;
  let database: { url: string; drop: () => Promise<void> } | undefined;
  beforeAll(async () => {
    stack.env = await TestWorkflowEnvironment.createTimeSkipping({
      server: {
        executable: {
          type: 'existing-path',
          path: join(projectRoot(), '.tally/tools/bin/temporal-test-server'),
        },
      },
    });
    database = await createTestDatabase();
    const settings = testConfig(database.url, { TEMPORAL_ADDRESS: stack.env.address, ...config });
    stack.api = await startApi(settings);
    stack.worker = await startWorker(settings, { backgroundWorkflows: false });
    stack.sql = new Client({ connectionString: database.url });
    await stack.sql.connect();
    stack.call = caller(stack.api.baseUrl, (await createMerchant(stack.api.baseUrl)).key);
  });
  afterAll(async () => {
    await stack.sql?.end();
    await stack.worker?.stop();
    await stack.api?.close();
    await stack.env?.teardown();
    await database?.drop();
  });
  return stack;
}
