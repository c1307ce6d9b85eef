import { condition } from '@temporalio/workflow';

/**
 * How every entity workflow waits for a moment in time: until `instantMs` on the workflow's
 * clock, or sooner when `wakeEarly` holds (a signal or an update changed the state); answers
 * true when it woke early. Today it is a durable timer; a simulated clock (a test clock) plugs
 * in here, not in each workflow. The timer is as long as `instantMs - now`, so histories
 * recorded before this existed replay unchanged.
 */
export async function sleepUntil(
  instantMs: number,
  wakeEarly: () => boolean = () => false,
): Promise<boolean> {
  return condition(wakeEarly, Math.max(1, instantMs - Date.now()));
}
