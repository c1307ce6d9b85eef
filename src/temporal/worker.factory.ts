import type { INestApplicationContext } from '@nestjs/common';
import { Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import type { TallyConfig } from '../config/config.js';
import { RollupService } from '../usage/rollup.service.js';
import { domainFailureInterceptor } from './domain-failures.js';
import { ensureOutboxSweeperRunning } from './outbox-sweeper.js';
import { ensureSearchAttributes } from './search-attributes.registry.js';
import { workflowSource } from './workflow-sources.js';

export interface TallyWorkerOptions {
  /** Overrides the configured task queue (tests use one queue per test file). */
  taskQueue?: string;
  /** A prebuilt workflow bundle to load instead of bundling at start. */
  workflowBundlePath?: string;
  /**
   * Start the rollup and outbox sweeper loops (default). Off for the time-skipping test server,
   * where their second-long sleeps would be all that time skipping ever reached.
   */
  backgroundWorkflows?: boolean;
}

export interface TallyWorker {
  worker: Worker;
  connection: NativeConnection;
}

/**
 * Builds the Temporal worker: workflows from `workflows/`, activities bound to the Nest
 * providers of `app`. Registers Tally's search attributes first, so workflows can set them, and
 * makes sure the event rollup and outbox sweeper workflows of its task queue run.
 */
export async function createTallyWorker(
  app: INestApplicationContext,
  config: TallyConfig,
  options: TallyWorkerOptions = {},
): Promise<TallyWorker> {
  const admin = await Connection.connect({ address: config.temporalAddress });
  try {
    await ensureSearchAttributes(admin, config.TEMPORAL_NAMESPACE);
  } finally {
    await admin.close();
  }
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: options.taskQueue ?? config.TEMPORAL_TASK_QUEUE,
    ...workflowSource(options.workflowBundlePath),
    activities: createActivities(app),
    interceptors: { activity: [domainFailureInterceptor] },
  });
  const taskQueue = options.taskQueue ?? config.TEMPORAL_TASK_QUEUE;
  if (options.backgroundWorkflows !== false) {
    await app.get(RollupService).ensureRunning(taskQueue);
    await ensureOutboxSweeperRunning(app, config, taskQueue);
  }
  return { worker, connection };
}
