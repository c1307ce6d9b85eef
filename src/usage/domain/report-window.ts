import type { Problem } from '../../common/errors/problems.js';
import { INSTANT_RULE, parseInstant } from '../../common/validation/instant.js';
import { HOUR_MS } from './bucket.js';

export const MAX_WINDOW_DAYS = 400;

export type WindowCheck = { ok: true; start: Date; end: Date } | { ok: false; problem: Problem };

/**
 * The instant `value` names, by the API's one date-time rule (`IsInstant`, which the query DTO
 * declares too), or the problem.
 */
function instantOf(value: string, param: string): Date | Problem {
  return (
    parseInstant(value) ?? {
      code: 'parameter_invalid',
      param,
      message: `${param} must be ${INSTANT_RULE}`,
    }
  );
}

/**
 * A report window [start, end), any instants (a partial hour at an edge is read from raw events:
 * `splitWindow`), end after start and at most MAX_WINDOW_DAYS later. Defaults: the start of the
 * current UTC month, and now.
 */
export function reportWindow(query: { start?: string; end?: string }, now: Date): WindowCheck {
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const start = query.start === undefined ? monthStart : instantOf(query.start, 'start');
  if (!(start instanceof Date)) return { ok: false, problem: start };
  const end = query.end === undefined ? now : instantOf(query.end, 'end');
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

/**
 * How a window splits for reading: the whole hours inside it come from hourly buckets; the
 * partial hours at its edges (if any) are computed from raw events.
 */
export function splitWindow(
  start: Date,
  end: Date,
): { hours: { start: Date; end: Date } | null; edges: { start: Date; end: Date }[] } {
  const firstHour = Math.ceil(start.getTime() / HOUR_MS) * HOUR_MS;
  const lastHour = Math.floor(end.getTime() / HOUR_MS) * HOUR_MS;
  if (firstHour >= lastHour) return { hours: null, edges: [{ start, end }] };
  const edges = [];
  if (start.getTime() < firstHour) edges.push({ start, end: new Date(firstHour) });
  if (lastHour < end.getTime()) edges.push({ start: new Date(lastHour), end });
  return { hours: { start: new Date(firstHour), end: new Date(lastHour) }, edges };
}
