import type { Problem } from '../../common/errors/problems.js';
import { HOUR_MS } from './bucket.js';

export const MAX_WINDOW_DAYS = 400;

export type WindowCheck = { ok: true; start: Date; end: Date } | { ok: false; problem: Problem };

function parseInstant(value: string, param: string): Date | Problem {
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time)) {
    return {
      code: 'parameter_invalid',
      param,
      message: `${param} must be an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z`,
    };
  }
  if (time % HOUR_MS !== 0) {
    return {
      code: 'window_not_hour_aligned',
      param,
      message: `${param} must fall on a whole UTC hour (usage is kept per hour), e.g. 2026-11-01T00:00:00Z`,
    };
  }
  return new Date(time);
}

/**
 * A report window [start, end) on whole UTC hours. Defaults: the start of the current UTC
 * month, and now rounded up to the next hour (which takes in every event logged so far).
 */
export function reportWindow(query: { start?: string; end?: string }, now: Date): WindowCheck {
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const start = query.start === undefined ? monthStart : parseInstant(query.start, 'start');
  if (!(start instanceof Date)) return { ok: false, problem: start };
  const end =
    query.end === undefined
      ? new Date(Math.ceil((now.getTime() + 1) / HOUR_MS) * HOUR_MS)
      : parseInstant(query.end, 'end');
  if (!(end instanceof Date)) return { ok: false, problem: end };
  if (end.getTime() <= start.getTime()) {
    return {
      ok: false,
      problem: { code: 'invalid_window', param: 'end', message: 'end must be after start' },
    };
  }
  if (end.getTime() - start.getTime() > MAX_WINDOW_DAYS * 24 * HOUR_MS) {
    return {
      ok: false,
      problem: {
        code: 'window_too_long',
        param: 'end',
        message: `a report window may span at most ${MAX_WINDOW_DAYS} days`,
      },
    };
  }
  return { ok: true, start, end };
}
