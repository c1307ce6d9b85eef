/**
 * The one rule for every date-time the API takes: ISO 8601 / RFC 3339 with a time zone, a real
 * calendar day, written in the years 2000–2099 (a sane range: a subscription starting in year 1
 * would catch up through hundreds of thousands of periods). The rule is a regular expression so
 * that the OpenAPI document states it exactly (`pattern`), leap days included.
 */
const YEAR = '20\\d\\d';
const LEAP_YEAR = '20(?:0[048]|[2468][048]|[13579][26])';
const MONTH_DAY =
  '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))';
const TIME = '[Tt](?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,9})?)?';
const ZONE = '(?:[Zz]|[+-](?:[01]\\d|2[0-3]):?[0-5]\\d)';

export const INSTANT_PATTERN = `^(?:${YEAR}-${MONTH_DAY}|${LEAP_YEAR}-02-29)${TIME}${ZONE}$`;

const INSTANT = new RegExp(INSTANT_PATTERN);

export const INSTANT_RULE =
  'an ISO 8601 date-time with a time zone in the years 2000–2099, e.g. 2026-11-24T18:00:00Z';

/** The instant `value` names, or null when it does not follow the rule. */
export function parseInstant(value: unknown): Date | null {
  if (typeof value !== 'string' || !INSTANT.test(value)) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}
