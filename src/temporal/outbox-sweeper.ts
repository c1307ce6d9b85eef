import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { TallyConfig } from '../config/config.js';
import {
  outboxSweeperWorkflowStart,
  type OutboxSweeperOptions,
} from '../../workflows/contracts/outbox-sweeper.contract.js';
import { outboxSweeper } from '../../workflows/outbox-sweeper.workflow.js';
import { TEMPORAL_CLIENT } from './temporal-client.module.js';

/** Starts the outbox sweeper of this task queue unless it already runs (every worker calls this at start). */
export async function ensureOutboxSweeperRunning(
  app: INestApplicationContext,
  config: TallyConfig,
  taskQueue: string,
): Promise<void> {
  const options: OutboxSweeperOptions = { intervalMs: config.OUTBOX_SWEEP_INTERVAL_MS };
  await app.get<Client>(TEMPORAL_CLIENT).workflow.start(outboxSweeper, {
    ...outboxSweeperWorkflowStart(taskQueue),
    taskQueue,
    args: [options],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
