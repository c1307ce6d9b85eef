/**
 * Calendars for the integration tests, computed from the clock so that no test depends on
 * today's date. A test that bills a past window uses last year's calendar, which lies wholly in
 * the past on every day of every year; a test that needs a particular calendar (the 31st of a
 * month, the end of February) finds the most recent one in the past. These helpers read the
 * real clock, never a fixed year: the Temporal servers and PostgreSQL keep real time.
 */

const DAY_MS = 86_400_000;

/** Last year in UTC, fixed when the test file loads (a run that crosses New Year keeps it). */
export const LAST_YEAR = new Date().getUTCFullYear() - 1;

export function daysInUtcMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/** The latest midnight (UTC) on `day` of `monthIndex` (0 = January) that is not after `notAfter`. */
export function mostRecentUtcDay(monthIndex: number, day: number, notAfter: Date): Date {
  for (let year = notAfter.getUTCFullYear(); ; year -= 1) {
    if (day > daysInUtcMonth(year, monthIndex)) continue;
    const candidate = new Date(Date.UTC(year, monthIndex, day));
    if (candidate <= notAfter) return candidate;
  }
}

/** `days` days before `instant`. */
export function daysBefore(instant: Date, days: number): Date {
  return new Date(instant.getTime() - days * DAY_MS);
}

/** `days` days after now, as an ISO instant. */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString();
}

/**
 * The days a monthly cycle anchored on `anchor` starts its periods, as the calendar says: the
 * anchor's day of each following month, or that month's last day when it is shorter, never
 * drifting (31 Jan, 28 Feb, 31 Mar). Written out here, independently of the product's own
 * period arithmetic, so the tests check it rather than repeat it.
 */
export function monthlyPeriodStarts(anchor: Date, count: number): Date[] {
  const starts: Date[] = [];
  for (let k = 0; k < count; k += 1) {
    const year = anchor.getUTCFullYear() + Math.floor((anchor.getUTCMonth() + k) / 12);
    const month = (anchor.getUTCMonth() + k) % 12;
    starts.push(new Date(Date.UTC(year, month, Math.min(anchor.getUTCDate(), daysInUtcMonth(year, month)))));
  }
  return starts;
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export const utcDay = (instant: Date): string => instant.toISOString().slice(0, 10);
