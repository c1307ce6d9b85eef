import { createHash } from 'node:crypto';
import { ConflictError, ValidationError } from '../errors/tally-error.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The `Idempotency-Key` header of a create: absent, or 1–255 visible ASCII characters. A create
 * that repeats a key answers the object the first request made instead of making another.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !KEY.test(value)) {
    throw new ValidationError(
      'idempotency_key_invalid',
      'The Idempotency-Key header must be 1 to 255 visible ASCII characters (a UUID is a good choice).',
    );
  }
  return value;
}

/** JSON with object keys sorted at every level, so equal bodies give equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A digest of a request body, to tell a retry from another request that reuses the key. */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(stableJson(body)).digest('hex');
}

export function idempotencyKeyReused(key: string): ConflictError {
  return new ConflictError(
    'idempotency_key_reused',
    `The Idempotency-Key '${key}' was already used for a request with different parameters.`,
  );
}
