import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { OutboxActivities, OutboxSweeperOptions } from './contracts/outbox-sweeper.contract.js';
import { retryTransientFaults } from './contracts/failures.js';
import { nullOnDomainFailure } from './failing-visibly.js';

const { sweepOutbox } = proxyActivities<OutboxActivities>({
  startToCloseTimeout: '2 minutes',
  retry: retryTransientFaults({ initialInterval: '1 second', maximumInterval: '30 seconds' }),
});

const SWEEPS_PER_RUN = 500;

/**
 * `outbox-sweeper/<task queue>`: every interval, starts the workflows that state changes
 * recorded but whose start was lost (a crash between the commit and the start).
 */
export async function outboxSweeper(options: OutboxSweeperOptions): Promise<void> {
  for (let sweep = 0; sweep < SWEEPS_PER_RUN && !workflowInfo().continueAsNewSuggested; sweep += 1) {
    const swept = await nullOnDomainFailure(() => sweepOutbox());
    if (!swept?.full) await sleep(options.intervalMs);
  }
  await continueAsNew<typeof outboxSweeper>(options);
}
