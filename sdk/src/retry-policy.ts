/** When and how long to wait before sending an idempotent request again. Pure: no clock, no I/O. */

const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Whether an answer with `status` is worth another try: the request may succeed later as it is. */
export function retriableStatus(status: number): boolean {
  return RETRIED_STATUSES.has(status);
}

export interface BackoffOptions {
  /** The first wait, doubled at each retry (ms). */
  initialDelayMs: number;
  /** No wait is longer than this, Retry-After included (ms). */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 500, maxDelayMs: 20_000 };

/** Seconds of a `Retry-After` header (delta-seconds or an HTTP date), in ms; undefined if absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (from 1): exponential with "equal jitter" (half fixed, half
 * random, so concurrent clients spread out), or the server's Retry-After when it asks for longer.
 * `random` is a number in [0, 1).
 */
export function backoffDelayMs(
  retry: number,
  random: number,
  retryAfter: number | undefined,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (retry - 1));
  const jittered = ceiling / 2 + (ceiling / 2) * random;
  return Math.min(options.maxDelayMs, Math.max(jittered, retryAfter ?? 0));
}
