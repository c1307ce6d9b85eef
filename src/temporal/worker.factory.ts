import type { INestApplicationContext } from '@nestjs/common';
import { Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { webhookActivities } from '../../activities/webhook.activities.js';
import { webhookTaskQueue } from '../../workflows/contracts/webhook-delivery.contract.js';
import { WebhookDeliveryService } from '../webhooks/webhook-delivery.service.js';
import type { TallyConfig } from '../config/config.js';
import type { Tracing } from '../observability/tracing.js';
import {
  tracedWorkflowSource,
  tracingActivityInterceptor,
  tracingSinks,
} from '../observability/workflow-tracing.js';
import { RollupService } from '../usage/rollup.service.js';
import { domainFailureInterceptor } from './domain-failures.js';
import { heartbeatInterceptor } from './heartbeats.js';
import { ensureOutboxSweeperRunning } from './outbox-sweeper.js';
import { ensureSearchAttributes } from './search-attributes.registry.js';
import { WORKFLOWS_PATH, workflowSource } from './workflow-sources.js';

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
  /**
   * The process's tracer (src/observability/tracing.ts), when tracing is on: workflows run with the
   * OpenTelemetry interceptors (a given workflowBundlePath must have them) and activities in spans.
   */
  tracing?: Tracing;
}

export interface TallyWorker {
  /** The main task queue's worker and the webhook task queue's, run and stopped together. */
  worker: WorkerGroup;
  connection: NativeConnection;
}

/** Workers that run, and stop, as one: when one stops or fails, the others are shut down too. */
export class WorkerGroup {
  constructor(readonly workers: readonly Worker[]) {}

  async run(): Promise<void> {
    const runs = this.workers.map((worker) =>
      worker.run().finally(() => {
        this.shutdown();
      }),
    );
    const outcomes = await Promise.allSettled(runs);
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  getState(): 'RUNNING' | 'STOPPED' {
    return this.workers.some((worker) => worker.getState() === 'RUNNING') ? 'RUNNING' : 'STOPPED';
  }

  shutdown(): void {
    for (const worker of this.workers) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    }
  }
}

/**
 * Builds the Temporal worker: workflows from `workflows/`, activities bound to the Nest
 * providers of `app`, and beside it a worker for webhook attempts on their own task queue.
 * Registers Tally's search attributes first, so workflows can set them, and makes sure the event
 * rollup and outbox sweeper workflows of its task queue run.
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
  const taskQueue = options.taskQueue ?? config.TEMPORAL_TASK_QUEUE;
  const { tracing } = options;
  const activityInterceptors = [
    heartbeatInterceptor,
    domainFailureInterceptor,
    ...(tracing ? [tracingActivityInterceptor] : []),
  ];
  const { workflowModules, ...source } = tracing
    ? tracedWorkflowSource(WORKFLOWS_PATH, options.workflowBundlePath)
    : { ...workflowSource(options.workflowBundlePath), workflowModules: undefined };
  const main = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    ...source,
    // Webhook attempts stay registered here for deliveries scheduled before they had a queue of their own.
    activities: createActivities(app),
    maxConcurrentActivityTaskExecutions: config.WORKER_ACTIVITY_CONCURRENCY,
    interceptors: { activity: activityInterceptors, ...(workflowModules && { workflowModules }) },
    ...(tracing && { sinks: tracingSinks(tracing) }),
  });
  const webhooks = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: webhookTaskQueue(taskQueue),
    activities: webhookActivities(app.get(WebhookDeliveryService)),
    maxConcurrentActivityTaskExecutions: config.WEBHOOK_DELIVERY_CONCURRENCY,
    interceptors: { activity: activityInterceptors },
  });
  const worker = new WorkerGroup([main, webhooks]);
  if (options.backgroundWorkflows !== false) {
    await app.get(RollupService).ensureRunning(taskQueue);
    await ensureOutboxSweeperRunning(app, config, taskQueue);
  }
  return { worker, connection };
}
