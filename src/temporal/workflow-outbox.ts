import { Logger } from '@nestjs/common';
import type { SweepResult } from '../../workflows/contracts/outbox-sweeper.contract.js';

/** Rows recorded this long ago whose workflow is still not started are the sweeper's to start. */
const SWEEP_GRACE_MS = 5000;
/** Rows per outbox per sweep; a full batch makes the sweeper sweep again at once. */
const SWEEP_BATCH = 500;

const logger = new Logger('WorkflowOutbox');

/**
 * One context's outbox of workflow starts: a state change records, in its own transaction, that
 * a workflow must run (a delivery row, a draft invoice, a subscription, a credit account); the
 * workflow is started right after the commit and, should that start be lost, by the sweep.
 * Each context keeps its rows in its own tables; this is the one way they are started.
 */
export interface WorkflowOutbox<Row> {
  /** Rows recorded over `graceMs` ago whose workflow is still not started, oldest first. */
  unstarted(graceMs: number, limit: number): Promise<Row[]>;
  /** Starts the row's workflow unless it runs or ran (idempotent: `startOnce`, signal-with-start). */
  start(row: Row): Promise<void>;
  /** Records that these rows' workflows are started. */
  markStarted(rows: Row[]): Promise<void>;
}

/** Starts each row's workflow; one failing start does not hold up the rest (the first failure is rethrown). */
export async function startFromOutbox<Row>(outbox: WorkflowOutbox<Row>, rows: Row[]): Promise<void> {
  const started: Row[] = [];
  let failure: unknown;
  for (const row of rows) {
    try {
      await outbox.start(row);
      started.push(row);
    } catch (error) {
      failure ??= error;
    }
  }
  if (started.length > 0) await outbox.markStarted(started);
  if (failure !== undefined) throw failure;
}

/** Right after a commit: starts the rows' workflows, and never throws (the sweep starts what this could not). */
export async function startSoonFromOutbox<Row>(outbox: WorkflowOutbox<Row>, rows: Row[]): Promise<void> {
  try {
    await startFromOutbox(outbox, rows);
  } catch (error) {
    logger.warn(`workflow start deferred to the outbox sweeper: ${(error as Error).message}`);
  }
}

/**
 * One sweep over every outbox: starts the workflows whose start after the commit was lost. An
 * outbox that fails does not hold up the others; the first failure is rethrown at the end, so
 * the sweep's activity retries.
 */
export async function sweepOutboxes(outboxes: ReadonlyArray<WorkflowOutbox<unknown>>): Promise<SweepResult> {
  let started = 0;
  let full = false;
  let failure: unknown;
  for (const outbox of outboxes) {
    try {
      const rows = await outbox.unstarted(SWEEP_GRACE_MS, SWEEP_BATCH);
      await startFromOutbox(outbox, rows);
      started += rows.length;
      full ||= rows.length === SWEEP_BATCH;
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
  return { started, full };
}
