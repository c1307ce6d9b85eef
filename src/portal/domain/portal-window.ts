/** The window the portal shows usage for, and the step of its chart. */
export interface PortalWindow {
  period: 'subscription_period' | 'calendar_month';
  start: Date;
  end: Date;
  windowSize: 'hour' | 'day';
}

const TWO_DAYS_MS = 2 * 24 * 3600 * 1000;

/**
 * "This period": the payer's current subscription period when it has one (up to now, or its end
 * if that came first), else the current calendar month in UTC up to now. The window is never
 * empty (at the very start of a period it is its first millisecond). Hourly steps up to two days.
 */
export function portalWindow(subscriptionPeriod: { start: Date; end: Date } | null, now: Date): PortalWindow {
  const period =
    subscriptionPeriod && subscriptionPeriod.start <= now ? 'subscription_period' : 'calendar_month';
  const start =
    period === 'subscription_period'
      ? subscriptionPeriod!.start
      : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const until =
    period === 'subscription_period'
      ? Math.min(now.getTime(), subscriptionPeriod!.end.getTime())
      : now.getTime();
  const end = new Date(Math.max(until, start.getTime() + 1));
  return { period, start, end, windowSize: end.getTime() - start.getTime() <= TWO_DAYS_MS ? 'hour' : 'day' };
}
