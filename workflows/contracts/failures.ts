import { ActivityFailure, ApplicationFailure, type RetryPolicy } from '@temporalio/common';

/**
 * The ApplicationFailure types of Tally's domain errors (the names of the `TallyError` classes
 * in `src/common/errors/tally-error.ts`; a spec there keeps the two lists equal). A step that
 * fails with one of them cannot succeed by trying again: the worker turns such an error into a
 * non-retryable failure, and every activity retry policy names these types as well.
 */
export const DOMAIN_FAILURE_TYPES = [
  'ValidationError',
  'PayloadTooLargeError',
  'AuthenticationError',
  'PermissionError',
  'NotFoundError',
  'ConflictError',
] as const;

/** What a domain failure carries: the error's stable code and message. */
export interface DomainFailure {
  type: string;
  code: string;
  message: string;
  param?: string;
}

/** An activity retry policy: transient faults retried with backoff, domain failures never. */
export function retryTransientFaults(policy: Omit<RetryPolicy, 'nonRetryableErrorTypes'>): RetryPolicy {
  return { ...policy, nonRetryableErrorTypes: [...DOMAIN_FAILURE_TYPES] };
}

/** The domain failure an activity ended with, if that is what `error` is. */
export function domainFailureOf(error: unknown): DomainFailure | null {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (!(cause instanceof ApplicationFailure) || !cause.type) return null;
  if (!(DOMAIN_FAILURE_TYPES as readonly string[]).includes(cause.type)) return null;
  const details = (cause.details?.[0] ?? {}) as Partial<DomainFailure>;
  return {
    type: cause.type,
    code: details.code ?? 'domain_error',
    message: details.message ?? cause.message,
    ...(details.param === undefined ? {} : { param: details.param }),
  };
}
