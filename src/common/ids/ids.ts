import { randomFillSync } from 'node:crypto';
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
  creditLedgerEntry: 'cle',
  webhookEndpoint: 'we',
  webhookEvent: 'evt',
  webhookDeliveryAttempt: 'whatt',
  portalSession: 'ps',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;
export type IdPrefix = (typeof ID_PREFIXES)[IdKind];

/**
 * Uniform [0, 1) from a pooled buffer of OS randomness. ulid's default source calls the OS once
 * per character (16 calls an id), which was a fifth of the API's CPU under load; one refill
 * serves 4,096 characters. A byte / 256 picks each of the 32 ULID characters equally often.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function pooledRandom(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]! / 256;
}

const nextUlid = monotonicFactory(pooledRandom);

/**
 * A new prefixed id: `cus_01jdx…`. The body is a lower-case ULID, so ids of one kind sort by
 * creation time (newest-first pagination is an index scan on the primary key) and are
 * monotonic within one process.
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${nextUlid(now).toLowerCase()}`;
}

const ID_BODY = /^[0-9a-hjkmnp-tv-z]{26}$/;

/** A request id for logs and the `Request-Id` header. */
export function newRequestId(): string {
  return `req_${nextUlid().toLowerCase()}`;
}

/** True when `value` is an id of `kind` in Tally's format (not whether it exists). */
export function isIdOf(kind: IdKind, value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && ID_BODY.test(value.slice(prefix.length));
}
