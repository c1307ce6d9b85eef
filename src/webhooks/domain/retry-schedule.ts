/**
 * How long after each failed attempt the next one runs: the 7 retries, which add up to
 * 27 h 35 min (the issue calls it "about three days"; its list of delays is what is kept).
 */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const STEP = /^(\d+)(ms|s|m|h|d)$/;

/**
 * Parses a comma-separated list of delays ("5s,5m,30m") into milliseconds. The list may be
 * empty (no retries). Answers null when any entry is malformed, zero or over 30 days.
 */
export function parseRetrySchedule(text: string): number[] | null {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const delays: number[] = [];
  for (const entry of trimmed.split(',')) {
    const match = STEP.exec(entry.trim());
    if (!match) return null;
    const delay = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    if (!(delay > 0 && delay <= 30 * UNIT_MS.d)) return null;
    delays.push(delay);
  }
  return delays;
}
