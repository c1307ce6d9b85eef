import {
  ApplicationFailure,
  defineQuery,
  log,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { type DomainFailure, domainFailureOf } from './contracts/failures.js';
import { TallyStatus } from './search-attributes.js';

/** Why the workflow failed: the domain failure of the step that could not succeed, else null. */
export const failureQuery = defineQuery<DomainFailure | null>('failure');

/**
 * Runs an entity workflow's body so that a step that cannot succeed (an activity's domain
 * failure, which is never retried) ends it where an operator sees it: `TallyStatus` becomes
 * `failed`, the `failure` query answers the failure, `record` writes it on the entity the API
 * shows, and the run fails with the failure's code as its type. Any other error goes on as before.
 */
export async function failingVisibly<T>(
  body: () => Promise<T>,
  record?: (failure: DomainFailure) => Promise<void>,
): Promise<T> {
  let failure: DomainFailure | null = null;
  setHandler(failureQuery, () => failure);
  try {
    return await body();
  } catch (error) {
    failure = domainFailureOf(error);
    if (failure === null) throw error;
    upsertSearchAttributes([{ key: TallyStatus, value: 'failed' }]);
    if (record) await record(failure);
    throw ApplicationFailure.create({
      type: failure.code,
      message: failure.message,
      nonRetryable: true,
      details: [failure],
      cause: error as Error,
    });
  }
}

/**
 * For the workflows that must keep running (the rollup, the outbox sweeper): a step that failed
 * for a domain reason is logged and answers null, so the loop waits and tries again rather than
 * ending (as it did before domain failures stopped being retried).
 */
export async function nullOnDomainFailure<T>(step: () => Promise<T>): Promise<T | null> {
  try {
    return await step();
  } catch (error) {
    const failure = domainFailureOf(error);
    if (failure === null) throw error;
    log.warn('a step of a long-running workflow failed; it will be tried again', { ...failure });
    return null;
  }
}
