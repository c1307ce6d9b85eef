import type { RollupService } from '../src/usage/rollup.service.js';

/** The rollup's one step: fold a batch of logged events into hourly buckets. */
export function rollupActivities(rollup: RollupService) {
  return {
    rollUpEvents: async (limit: number) => ({
      ...(await rollup.rollUpBatch(limit)),
      finishedAt: new Date().toISOString(),
    }),
  };
}

export type RollupActivities = ReturnType<typeof rollupActivities>;
