import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** One payer's usage a fold just added to the buckets, and the time span it touched. */
export interface FoldedPayer {
  merchantId: string;
  payerId: string;
  from: Date;
  to: Date;
}

/**
 * What folded it: a rollup batch (id: its last ingestion seq), or an invoice or a subscription
 * period aggregating its payer's pending events first.
 */
export interface FoldSource {
  type: 'rollup' | 'invoice' | 'subscription';
  id: string;
}

/** Work to do once the folding transaction committed (dispatch webhooks, signal workflows). */
export type AfterCommit = () => Promise<void>;

/** Told of every fold in its transaction, so what depends on aggregated usage moves with it atomically. */
export interface FoldListener {
  usageFolded(tx: EntityManager, payers: FoldedPayer[], source: FoldSource): Promise<AfterCommit | null>;
}

/**
 * Where contexts that build on usage (credits) register for folds: usage cannot import them
 * without a cycle, so they register themselves when their module starts.
 */
@Injectable()
export class FoldListeners {
  private readonly listeners: FoldListener[] = [];

  register(listener: FoldListener): void {
    this.listeners.push(listener);
  }

  async notify(tx: EntityManager, payers: FoldedPayer[], source: FoldSource): Promise<AfterCommit[]> {
    if (payers.length === 0) return [];
    const after: AfterCommit[] = [];
    for (const listener of this.listeners) {
      const task = await listener.usageFolded(tx, payers, source);
      if (task) after.push(task);
    }
    return after;
  }
}

/** Runs after-commit work; a failure is logged by the caller's logger and never undoes the commit. */
export async function runAfterCommit(
  tasks: readonly AfterCommit[],
  warn: (message: string) => void,
): Promise<void> {
  for (const task of tasks) {
    try {
      await task();
    } catch (error) {
      warn(
        `after-commit step failed (the sweepers and the next signal recover it): ${(error as Error).message}`,
      );
    }
  }
}
