import { ValidationError } from '../errors/tally-error.js';
import { type IdKind, isIdOf } from '../ids/ids.js';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

/** A validated page request: newest first, strictly after (older than) the `startingAfter` id. */
export interface PageRequest {
  limit: number;
  startingAfter?: string;
}

export interface ListResponse<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

/** Validates `limit` and `starting_after` from a query string; the cursor must be an id of `kind`. */
export function toPageRequest(
  query: { limit?: unknown; starting_after?: unknown },
  kind: IdKind,
): PageRequest {
  let limit = DEFAULT_PAGE_SIZE;
  if (query.limit !== undefined) {
    const text = String(query.limit);
    limit = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) {
      throw new ValidationError(
        'parameter_invalid',
        `limit must be an integer from 1 to ${MAX_PAGE_SIZE}.`,
        'limit',
      );
    }
  }
  if (query.starting_after === undefined) return { limit };
  if (!isIdOf(kind, query.starting_after)) {
    throw new ValidationError(
      'parameter_invalid',
      'starting_after must be the id of an object from a previous page of this list.',
      'starting_after',
    );
  }
  return { limit, startingAfter: query.starting_after };
}

/** Builds a list page from rows fetched with `limit + 1` (the extra row only says there is more). */
export function toListResponse<Row, T>(
  rows: Row[],
  page: PageRequest,
  present: (row: Row) => T,
): ListResponse<T> {
  return {
    object: 'list',
    data: rows.slice(0, page.limit).map(present),
    has_more: rows.length > page.limit,
  };
}
