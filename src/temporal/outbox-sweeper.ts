import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { TallyConfig } from '../config/config.js';
import type { OutboxSweeperOptions } from '../../workflows/outbox-sweeper.workflow.js';
import { TallyStatus } from '../../workflows/search-attributes.js';
import { TEMPORAL_CLIENT } from './temporal-client.module.js';

/** Starts the outbox sweeper of this task queue unless it already runs (every worker calls this at start). */
export async function ensureOutboxSweeperRunning(
  app: INestApplicationContext,
  config: TallyConfig,
  taskQueue: string,
): Promise<void> {
  const options: OutboxSweeperOptions = { intervalMs: config.OUTBOX_SWEEP_INTERVAL_MS };
  await app.get<Client>(TEMPORAL_CLIENT).workflow.start('outboxSweeper', {
    workflowId: `outbox-sweeper/${taskQueue}`,
    taskQueue,
    args: [options],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [{ key: TallyStatus, value: 'running' }],
    staticSummary: 'Starts workflows (webhook deliveries, invoices) whose start was lost after their commit',
  });
}
