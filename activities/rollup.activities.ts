import type { RollupService } from '../src/usage/rollup.service.js';
import type { RollupActivities } from '../workflows/contracts/rollup.contract.js';

/** The rollup's one step: fold a batch of logged events into hourly buckets (the fold's reactions follow its commit). */
export function rollupActivities(rollup: RollupService): RollupActivities {
  return {
    rollUpEvents: async (limit) => {
      return { ...(await rollup.rollUpBatch(limit)), finishedAt: new Date().toISOString() };
    },
  };
}
