import { TallyStatus } from '../search-attributes.js';

/** The outbox sweeper workflow (`outboxSweeper`): its options, step and start options. */

export interface OutboxSweeperOptions {
  intervalMs: number;
}

/** One sweep: `full` says a whole batch was found (more may wait, so sweep again at once). */
export interface SweepResult {
  started: number;
  full: boolean;
}

/** The outbox sweeper's step (activity). */
export interface OutboxActivities {
  sweepOutbox(): Promise<SweepResult>;
}

export function outboxSweeperWorkflowStart(taskQueue: string) {
  return {
    workflowId: `outbox-sweeper/${taskQueue}`,
    typedSearchAttributes: [{ key: TallyStatus, value: 'running' }],
    staticSummary:
      'Starts workflows (webhook deliveries, invoices, subscriptions, credit monitors) whose start was lost after their commit',
  };
}
