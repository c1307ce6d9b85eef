/** Something that starts the workflows its outbox rows ask for; `full`: a whole batch was found. */
export interface OutboxSweep {
  sweep(): Promise<{ started: number; full: boolean }>;
}

/** The outbox sweeper's step: every context's sweep, one after another. */
export function outboxActivities(sweeps: OutboxSweep[]) {
  return {
    sweepOutbox: async () => {
      let started = 0;
      let full = false;
      for (const outbox of sweeps) {
        const result = await outbox.sweep();
        started += result.started;
        full ||= result.full;
      }
      return { started, full };
    },
  };
}

export type OutboxActivities = ReturnType<typeof outboxActivities>;
