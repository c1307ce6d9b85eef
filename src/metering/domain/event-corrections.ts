import type { Problem } from '../../common/errors/problems.js';
import { INSTANT_RULE } from '../../common/validation/instant.js';

/** The fields an amendment may change: an event's content, as the event resource shows it. */
export const AMENDABLE_FIELDS = [
  'value',
  'timestamp',
  'start_time',
  'end_time',
  'markup_percentage',
  'metadata',
  'customer',
  'account',
] as const;
export type AmendableField = (typeof AMENDABLE_FIELDS)[number];

/** Everything an amendment's body may hold. */
export const AMEND_FIELDS = [...AMENDABLE_FIELDS, 'reason', 'expected_version'] as const;
export type AmendField = (typeof AMEND_FIELDS)[number];

export const MAX_REASON_LENGTH = 500;
/** The largest version a request may name (versions are PostgreSQL integers). */
export const MAX_VERSION = 2_147_483_647;
/** Corrections of one batch: as many as events a logging batch takes. */
export const MAX_BATCH_VOIDS = 1000;

/** One field a correction changed: its value before and after, as the event resource shows it. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

/** An event's content as the resource shows it, the fields `changes` compares. */
export type EventFields = {
  customer: string | null;
  account: string | null;
  value: string | null;
  timestamp: string;
  start_time: string | null;
  end_time: string | null;
  markup_percentage: string | null;
  metadata: Record<string, string>;
};

const AMEND_KNOWN = new Set<string>(AMEND_FIELDS);

/** `reason` as a correction takes it: left out, or a string of 1 to 500 characters. */
export function reasonProblem(value: unknown): Problem | null {
  if (value === undefined) return null;
  if (typeof value === 'string' && value.length >= 1 && value.length <= MAX_REASON_LENGTH) return null;
  return {
    code: 'parameter_invalid',
    param: 'reason',
    message: `reason must be a string of 1 to ${MAX_REASON_LENGTH} characters`,
  };
}

export interface Amendment {
  /** The content fields given, as given (null clears a field that may be empty). */
  patch: Partial<Record<AmendableField, unknown>>;
  reason: string | null;
  expectedVersion: number | null;
}

/**
 * Checks an amendment's own rules, before it is merged with the event: known fields only
 * (`event_name` and `reference` never change), `reason` and `expected_version`, at least one
 * field to change, a timestamp and a payer that are not null. What the merged event must be is
 * then checked exactly as logging checks an event.
 */
export function checkAmendment(
  body: unknown,
): { ok: true; value: Amendment } | { ok: false; problems: Problem[] } {
  // No body at all is an empty one (nothing to change); the pipe refuses a body that is not an object.
  if (body === undefined) body = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: [{ code: 'invalid_request', message: 'the body must be a JSON object' }] };
  }
  const input = body as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const key of Object.keys(input)) {
    if (AMEND_KNOWN.has(key)) continue;
    const why =
      key === 'event_name' || key === 'reference'
        ? `${key} cannot change: an event keeps its ${key.replace('_', ' ')} in every version`
        : `${key} is not a known parameter`;
    problems.push({ code: 'parameter_unknown', param: key, message: why });
  }
  const reason = reasonProblem(input.reason);
  if (reason) problems.push(reason);
  const expected = input.expected_version;
  if (
    expected !== undefined &&
    !(typeof expected === 'number' && Number.isInteger(expected) && expected >= 1 && expected <= MAX_VERSION)
  ) {
    problems.push({
      code: 'parameter_invalid',
      param: 'expected_version',
      message: `expected_version must be an integer from 1 to ${MAX_VERSION}`,
    });
  }
  if (input.timestamp === null) {
    problems.push({
      code: 'parameter_invalid',
      param: 'timestamp',
      message: `timestamp must be ${INSTANT_RULE} (an event always has one)`,
    });
  }
  for (const kind of ['customer', 'account'] as const) {
    if (input[kind] === null)
      problems.push({
        code: 'parameter_invalid',
        param: kind,
        message: `${kind} must be the id of a ${kind}`,
      });
  }
  const patch: Amendment['patch'] = {};
  for (const field of AMENDABLE_FIELDS) if (input[field] !== undefined) patch[field] = input[field];
  if (problems.length > 0) return { ok: false, problems };
  if (Object.keys(patch).length === 0) {
    return {
      ok: false,
      problems: [
        {
          code: 'parameter_missing',
          message: `give at least one field to change: ${AMENDABLE_FIELDS.join(', ')}`,
        },
      ],
    };
  }
  return {
    ok: true,
    value: {
      patch,
      reason: (input.reason as string | undefined) ?? null,
      expectedVersion: (expected as number | undefined) ?? null,
    },
  };
}

/**
 * The event body an amendment makes: the current version as logging would have received it, with
 * the patch over it. A payer given replaces the other kind (a customer clears the account and
 * vice versa; both stay, so that the check answers `payer_conflict`); null clears a field.
 */
export function amendedBody(
  current: EventFields & { event_name: string; reference: string },
  patch: Amendment['patch'],
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    event_name: current.event_name,
    reference: current.reference,
    value: current.value,
    timestamp: current.timestamp,
    start_time: current.start_time,
    end_time: current.end_time,
    markup_percentage: current.markup_percentage,
    metadata: current.metadata,
  };
  if (current.customer !== null) body.customer = current.customer;
  if (current.account !== null) body.account = current.account;
  const givesPayer = patch.customer !== undefined || patch.account !== undefined;
  if (givesPayer) {
    delete body.customer;
    delete body.account;
  }
  for (const [field, value] of Object.entries(patch)) body[field] = value;
  return body;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const left = Object.entries(a as Record<string, unknown>).sort(([x], [y]) =>
      x < y ? -1 : x > y ? 1 : 0,
    );
    const right = Object.entries(b as Record<string, unknown>).sort(([x], [y]) =>
      x < y ? -1 : x > y ? 1 : 0,
    );
    return JSON.stringify(left) === JSON.stringify(right);
  }
  return a === b;
}

/** The fields that differ between two versions, each `{ from, to }`, in the resource's field order. */
export function changesBetween(before: EventFields, after: EventFields): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const field of AMENDABLE_FIELDS) {
    if (!sameValue(before[field], after[field])) changes[field] = { from: before[field], to: after[field] };
  }
  return changes;
}

/** One correction as recorded (version 2 onwards). */
export interface CorrectionRecord {
  version: number;
  action: 'amended' | 'voided';
  rowId: string | null;
  reversalId: string;
  changes: Record<string, FieldChange>;
  reason: string | null;
  apiKeyId: string | null;
  createdAt: Date;
}

export interface VersionedRow {
  id: string;
  version: number;
  sign: number;
}

/** Where an event stands as of a version: its rows and corrections are append-only, so any past state is computable. */
export interface EventState<R extends VersionedRow> {
  first: R;
  /** The row whose content the event shows: the highest version's (for a void, the version before it). */
  current: R;
  version: number;
  voided: boolean;
  amended: boolean;
  corrections: CorrectionRecord[];
}

/**
 * The event as of version `asOf` (default: now) from all of its rows (first row included) and
 * its corrections. Versions run 1, 2, …: version 1 is the first row; each correction k adds
 * the reversal of k - 1 and, for an amendment, row k.
 */
export function eventStateAsOf<R extends VersionedRow>(
  rows: readonly R[],
  corrections: readonly CorrectionRecord[],
  asOf = Number.POSITIVE_INFINITY,
): EventState<R> {
  const applied = corrections.filter((c) => c.version <= asOf).sort((a, b) => a.version - b.version);
  const version = applied.at(-1)?.version ?? 1;
  const versions = rows.filter((row) => row.sign === 1 && row.version <= version);
  const first = rows.find((row) => row.sign === 1 && row.version === 1);
  if (!first) throw new Error('an event has no first row');
  const current = versions.reduce((best, row) => (row.version > best.version ? row : best), first);
  return {
    first,
    current,
    version,
    voided: applied.at(-1)?.action === 'voided',
    amended: applied.some((c) => c.action === 'amended'),
    corrections: applied,
  };
}
