// Once per test run: the real Temporal dev server and the workflow bundle. Plain ESM because
// Jest loads global setup outside its module system (no ts-jest ESM transform here).
// Each test file then gets its own database (test/support/test-database.ts) and task queue.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function startTemporal() {
  const path = process.env.TEMPORAL_CLI_PATH ?? join(root, '.tally', 'tools', 'bin', 'temporal');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      ip: '127.0.0.1',
      extraArgs: ['--log-level', 'error'],
    },
  });
  globalThis.__TALLY_TEMPORAL__ = env;
  return env.address;
}

async function bundleWorkflows() {
  const { code } = await bundleWorkflowCode({ workflowsPath: join(root, 'workflows'), logger: quietLogger });
  const dir = join(root, '.tally', 'test');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'workflow-bundle.js');
  writeFileSync(path, code);
  return path;
}

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };

export default async function globalSetup() {
  const [temporalAddress, workflowBundle] = await Promise.all([startTemporal(), bundleWorkflows()]);
  process.env.TALLY_TEST_TEMPORAL_ADDRESS = temporalAddress;
  process.env.TALLY_TEST_WORKFLOW_BUNDLE = workflowBundle;
  // Migrated lazily by the first test file that needs a database, then cloned by every other one.
  process.env.TALLY_TEST_TEMPLATE_DATABASE = `tally_test_template_${randomBytes(4).toString('hex')}`;
}
