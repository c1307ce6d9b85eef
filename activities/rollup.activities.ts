import type { RollupService } from '../src/usage/rollup.service.js';
import type { RollupActivities } from '../workflows/contracts/rollup.contract.js';

/** Told which payers' usage a batch folded (subscriptions measure allotments when it moves). */
export interface UsageListener {
  usageFolded(payers: Array<{ merchantId: string; payerId: string }>): Promise<void>;
}

/** The rollup's one step: fold a batch of logged events into hourly buckets, then tell the listener. */
export function rollupActivities(rollup: RollupService, listener: UsageListener): RollupActivities {
  return {
    rollUpEvents: async (limit) => {
      const { payers, ...batch } = await rollup.rollUpBatch(limit);
      await listener.usageFolded(payers);
      return { ...batch, finishedAt: new Date().toISOString() };
    },
  };
}
