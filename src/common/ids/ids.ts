import { monotonicFactory } from 'ulid';

/** Every id prefix Tally issues (DESIGN.md §4). */
export const ID_PREFIXES = {
  merchant: 'mer',
  apiKey: 'key',
  customer: 'cus',
  account: 'acct',
  paymentMethod: 'pm',
  metric: 'bm',
  event: 'bme',
  invoice: 'inv',
  invoiceLine: 'il',
  charge: 'ch',
  subscription: 'sub',
  creditGrant: 'cg',
  webhookEndpoint: 'we',
  webhookEvent: 'evt',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;
export type IdPrefix = (typeof ID_PREFIXES)[IdKind];

const nextUlid = monotonicFactory();

/**
 * A new prefixed id: `cus_01jdx…`. The body is a lower-case ULID, so ids of one kind sort by
 * creation time (newest-first pagination is an index scan on the primary key) and are
 * monotonic within one process.
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${nextUlid(now).toLowerCase()}`;
}

const ID_BODY = /^[0-9a-hjkmnp-tv-z]{26}$/;

/** True when `value` is an id of `kind` in Tally's format (not whether it exists). */
export function isIdOf(kind: IdKind, value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && ID_BODY.test(value.slice(prefix.length));
}
