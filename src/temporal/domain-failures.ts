import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { DomainFailure } from '../../workflows/contracts/failures.js';
import { RateLimitError, TallyError } from '../common/errors/tally-error.js';

/**
 * A domain error thrown by an activity as the failure Temporal records: non-retryable, typed by
 * its class, carrying its code. A rate limit is a transient fault and is retried like any other
 * error; so is everything that is not a domain error (a lost connection, a timeout).
 */
export function asActivityFailure(error: unknown): unknown {
  if (!(error instanceof TallyError) || error instanceof RateLimitError) return error;
  const details: DomainFailure = {
    type: error.name,
    code: error.code,
    message: error.message,
    ...(error.param === undefined ? {} : { param: error.param }),
  };
  return ApplicationFailure.create({
    type: error.name,
    message: error.message,
    nonRetryable: true,
    details: [details],
    cause: error,
  });
}

/** The worker's one translation of domain errors, for every activity it runs. */
export const domainFailureInterceptor: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  },
});
