import { defineQuery } from '@temporalio/workflow';
import { TallyStatus } from '../search-attributes.js';

/** The event rollup workflow (`eventRollup`): its options, step, query and start options. */

export interface RollupOptions {
  /** Events folded per transaction. */
  batchSize: number;
  /** Pause when a batch comes back short (the queue is drained). */
  idleMs: number;
}

export interface RollupProgress {
  eventsFolded: number;
  batches: number;
  lastSeq: string | null;
  lastEventId: string | null;
  lastFoldedAt: string | null;
  lastRunAt: string | null;
}

export interface RolledUpBatch {
  folded: number;
  /** The ingestion position (seq) of the last event folded, or null when there was nothing to fold. */
  lastSeq: string | null;
  lastEventId: string | null;
  finishedAt: string;
}

/** The rollup's step (activity): fold up to `limit` logged events. */
export interface RollupActivities {
  rollUpEvents(limit: number): Promise<RolledUpBatch>;
}

export const rollupProgressQuery = defineQuery<RollupProgress>('progress');

export function rollupWorkflowId(taskQueue: string): string {
  return `rollup/${taskQueue}`;
}

export function rollupWorkflowStart(taskQueue: string) {
  return {
    workflowId: rollupWorkflowId(taskQueue),
    typedSearchAttributes: [{ key: TallyStatus, value: 'running' }],
    staticSummary: 'Folds logged usage events into hourly buckets and marks them aggregated',
  };
}
