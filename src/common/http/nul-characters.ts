import { ValidationError } from '../errors/tally-error.js';

/** The document's pattern for a string without NUL (refused with 400; PostgreSQL cannot store it). */
export const NO_NUL_PATTERN = '^[^\\u0000]*$';

/** The first field (dotted path) of `value` holding a string with a NUL character, which PostgreSQL cannot store. */
export function fieldWithNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = fieldWithNul(item, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return here;
      const found = fieldWithNul(item, here);
      if (found) return found;
    }
  }
  return null;
}

/** Refuses NUL characters anywhere in a request's body, query or path parameters (400, never a 500). */
export function refuseNulCharacters(value: unknown): void {
  const field = fieldWithNul(value);
  if (field) {
    throw new ValidationError(
      'parameter_invalid',
      `${field} must not contain NUL (\\u0000) characters.`,
      field,
    );
  }
}
