import { createHash } from 'node:crypto';

/** The prefix of a reference the CLI derived (a row without one). */
export const DERIVED_PREFIX = 'imp_';

/** Decimal fields: a number and the same number written as a string are the same usage. */
const DECIMAL_FIELDS = new Set(['value', 'markup_percentage']);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined && field !== null) sorted[key] = canonical(field);
    }
    return sorted;
  }
  return value;
}

/**
 * The canonical JSON of an event's content: every field but `reference`, keys sorted (metadata's
 * too), absent and null fields left out, `value` and `markup_percentage` as strings.
 */
export function canonicalContent(event: Record<string, unknown>): string {
  const content: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(event)) {
    if (key === 'reference') continue;
    content[key] = DECIMAL_FIELDS.has(key) && typeof field === 'number' ? String(field) : field;
  }
  return JSON.stringify(canonical(content));
}

/**
 * A reference for an event that has none: `imp_` + the SHA-256 (hex) of its canonical content.
 * It depends on the event alone, never on the file's layout or line number, so a rerun of the
 * same file (or the same rows in CSV or NDJSON) derives the same references and the server
 * answers them `duplicate`. Two identical rows are therefore one event: rows that are distinct
 * usage must differ in some field (a timestamp, metadata) or carry their own reference.
 */
export function deriveReference(event: Record<string, unknown>): string {
  return DERIVED_PREFIX + createHash('sha256').update(canonicalContent(event)).digest('hex');
}

/** The event with a reference: its own when it has one (any non-empty value), else derived. */
export function withReference(event: Record<string, unknown>): Record<string, unknown> {
  const reference = event.reference;
  if (reference !== undefined && reference !== null && reference !== '') return event;
  const { reference: _dropped, ...content } = event;
  return { ...content, reference: deriveReference(content) };
}
