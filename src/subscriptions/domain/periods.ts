/** How often a subscription bills: every `count` days, weeks, months or years. */
export const INTERVALS = ['day', 'week', 'month', 'year'] as const;
export type Interval = (typeof INTERVALS)[number];

/**
 * The most intervals one period may last: up to 100 days, weeks, months or years. Longer
 * periods are a coarser interval (not 365 days but a year), and a period of 100 years already
 * outlasts every date the API takes (2000–2099).
 */
export const MAX_INTERVAL_COUNT = 100;

const DAY_MS = 86_400_000;

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * `months` calendar months after `anchor`, on the anchor's day of month or the month's last day
 * when it is shorter (Jan 31 + 1 → Feb 28 or 29, + 2 → Mar 31), at the anchor's time of day (UTC).
 * Always counted from the anchor, so a short month never shifts later periods.
 */
export function addMonthsClamped(anchor: Date, months: number): Date {
  const total = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(year, month));
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

/** The start of period `index` (0 = the first) of a subscription anchored at `anchor`. */
export function periodStart(anchor: Date, interval: Interval, count: number, index: number): Date {
  switch (interval) {
    case 'day':
      return new Date(anchor.getTime() + index * count * DAY_MS);
    case 'week':
      return new Date(anchor.getTime() + index * count * 7 * DAY_MS);
    case 'month':
      return addMonthsClamped(anchor, index * count);
    case 'year':
      return addMonthsClamped(anchor, index * count * 12);
  }
}

export interface Period {
  index: number;
  start: Date;
  end: Date;
}

/** Period `index`: [its start, the next period's start). */
export function periodAt(anchor: Date, interval: Interval, count: number, index: number): Period {
  return {
    index,
    start: periodStart(anchor, interval, count, index),
    end: periodStart(anchor, interval, count, index + 1),
  };
}

/** The period containing `at` (the first period when `at` is before the anchor). */
export function periodContaining(anchor: Date, interval: Interval, count: number, at: Date): Period {
  if (at <= anchor) return periodAt(anchor, interval, count, 0);
  // Estimate from the average length, then step to the exact period (calendar months vary).
  const averageMs = { day: DAY_MS, week: 7 * DAY_MS, month: 30.436875 * DAY_MS, year: 365.2425 * DAY_MS }[
    interval
  ];
  let index = Math.max(0, Math.floor((at.getTime() - anchor.getTime()) / (averageMs * count)) - 1);
  while (periodStart(anchor, interval, count, index + 1) <= at) index += 1;
  while (index > 0 && periodStart(anchor, interval, count, index) > at) index -= 1;
  return periodAt(anchor, interval, count, index);
}
