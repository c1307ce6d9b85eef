import { continueAsNew, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import {
  type RollupActivities,
  type RollupOptions,
  type RollupProgress,
  rollupProgressQuery,
} from './contracts/rollup.contract.js';
import { retryTransientFaults } from './contracts/failures.js';
import { nullOnDomainFailure } from './failing-visibly.js';

const { rollUpEvents } = proxyActivities<RollupActivities>({
  startToCloseTimeout: '2 minutes',
  // The worker heartbeats while a batch folds: one killed mid-batch is noticed in seconds.
  heartbeatTimeout: '10 seconds',
  retry: retryTransientFaults({ initialInterval: '1 second', maximumInterval: '30 seconds' }),
});

/** Batches per run before the history is handed to a fresh run (continueAsNew). */
const BATCHES_PER_RUN = 500;

/**
 * The event lifecycle rollup (`rollup/<task queue>`): folds logged events into hourly buckets,
 * in ingestion order, batch after batch, and waits briefly whenever the queue is drained.
 */
export async function eventRollup(options: RollupOptions, carried?: RollupProgress): Promise<void> {
  const progress: RollupProgress = carried ?? {
    eventsFolded: 0,
    batches: 0,
    lastSeq: null,
    lastEventId: null,
    lastFoldedAt: null,
    lastRunAt: null,
  };
  setHandler(rollupProgressQuery, () => progress);
  for (let run = 0; run < BATCHES_PER_RUN && !workflowInfo().continueAsNewSuggested; run += 1) {
    const batch = await nullOnDomainFailure(() => rollUpEvents(options.batchSize));
    if (batch === null) {
      await sleep(options.idleMs);
      continue;
    }
    progress.batches += 1;
    progress.lastRunAt = batch.finishedAt;
    if (batch.folded > 0) {
      progress.eventsFolded += batch.folded;
      progress.lastSeq = batch.lastSeq;
      progress.lastEventId = batch.lastEventId;
      progress.lastFoldedAt = batch.finishedAt;
    }
    if (batch.folded < options.batchSize) await sleep(options.idleMs);
  }
  await continueAsNew<typeof eventRollup>(options, progress);
}
