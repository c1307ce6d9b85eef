import { Logger } from '@nestjs/common';
import pLimit from 'p-limit';
import type { SweepResult } from '../../workflows/contracts/outbox-sweeper.contract.js';
import { waitAtMost } from './handoff.js';

/** Rows recorded this long ago whose workflow is still not started are the sweeper's to start. */
const SWEEP_GRACE_MS = 5000;
/** Rows per outbox per sweep; a full batch makes the sweeper sweep again at once. */
const SWEEP_BATCH = 500;
/**
 * Starts in flight at once: an event fanned out to hundreds of endpoints starts its deliveries
 * in parallel, not one round trip after another.
 */
const STARTS_IN_FLIGHT = 8;

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
  /**
   * Puts rows whose workflow was already started back in the outbox, when a signal telling it of
   * a committed change could not be sent (the sweep sends it again). Only outboxes that signal.
   */
  requeue?(rows: Row[]): Promise<void>;
}

/** Starts each row's workflow; one failing start does not hold up the rest (the first failure is rethrown). */
export async function startFromOutbox<Row>(outbox: WorkflowOutbox<Row>, rows: Row[]): Promise<void> {
  const started: Row[] = [];
  let failure: unknown;
  const limit = pLimit(STARTS_IN_FLIGHT);
  await Promise.all(
    rows.map((row) =>
      limit(async () => {
        try {
          await outbox.start(row);
          started.push(row);
        } catch (error) {
          failure ??= error;
        }
      }),
    ),
  );
  if (started.length > 0) await outbox.markStarted(started);
  if (failure !== undefined) throw failure;
}

/**
 * Right after a commit: starts the rows' workflows, waiting at most `waitMs` (the start goes on in
 * the background past it), and never throws: the sweep starts what this could not.
 */
export async function startSoonFromOutbox<Row>(
  outbox: WorkflowOutbox<Row>,
  rows: Row[],
  waitMs: number,
): Promise<void> {
  const work = startFromOutbox(outbox, rows).catch(async (error: Error) => {
    logger.warn(`workflow start deferred to the outbox sweeper: ${error.message}`);
    await outbox.requeue?.(rows).catch((requeueError: Error) => {
      logger.warn(`could not put rows back in the outbox: ${requeueError.message}`);
    });
  });
  await waitAtMost(work, waitMs);
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
