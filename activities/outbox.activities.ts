import { sweepOutboxes, type WorkflowOutbox } from '../src/temporal/workflow-outbox.js';
import type { OutboxActivities } from '../workflows/contracts/outbox-sweeper.contract.js';

/** The outbox sweeper's step: one sweep over every context's outbox. */
export function outboxActivities(outboxes: ReadonlyArray<WorkflowOutbox<unknown>>): OutboxActivities {
  return {
    sweepOutbox: () => sweepOutboxes(outboxes),
  };
}
