/**
 * A per-merchant limit over fixed one-second windows, shared by every API process: each process
 * admits against what it last heard from the shared counter (`known`, every process's use of
 * the window) plus what it admitted since and has not yet reported (`pending`).
 */
export const WINDOW_MS = 1000;

export interface WindowCount {
  windowStart: number;
  known: number;
  pending: number;
}

export interface Admission {
  admitted: boolean;
  count: WindowCount;
  /** Seconds until the window ends (at least 1): what a refused client waits. */
  retryAfterSeconds: number;
}

export function windowStartOf(nowMs: number): number {
  return nowMs - (nowMs % WINDOW_MS);
}

/**
 * Admits `cost` (1 for a request, the events of a batch) when the window has room for it. A cost
 * above the whole limit (a batch larger than a second's allowance) is admitted into an empty
 * window only, so that it can pass at all.
 */
export function admit(
  current: WindowCount | undefined,
  nowMs: number,
  limit: number,
  cost: number,
): Admission {
  const windowStart = windowStartOf(nowMs);
  const count =
    current && current.windowStart === windowStart ? current : { windowStart, known: 0, pending: 0 };
  const used = count.known + count.pending;
  const admitted = used + cost <= limit || (cost > limit && used === 0);
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + WINDOW_MS - nowMs) / 1000));
  return {
    admitted,
    count: admitted ? { ...count, pending: count.pending + cost } : count,
    retryAfterSeconds,
  };
}

/** After reporting `flushed` of the window's pending use: the shared total heard back, and what is still unreported. */
export function reported(count: WindowCount, flushed: number, sharedTotal: number): WindowCount {
  return { ...count, known: sharedTotal, pending: Math.max(0, count.pending - flushed) };
}
