import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import * as errors from '../common/errors/tally-error.js';
import {
  DOMAIN_FAILURE_TYPES,
  domainFailureOf,
  retryTransientFaults,
} from '../../workflows/contracts/failures.js';
import { asActivityFailure } from './domain-failures.js';

const { TallyError, RateLimitError } = errors;

/** Every concrete domain error class the errors module exports. */
type DomainErrorClass = new (code: string, message: string, param?: string) => errors.TallyError;
const domainErrorClasses = (Object.values(errors) as unknown[]).filter(
  (value): value is DomainErrorClass => typeof value === 'function' && value.prototype instanceof TallyError,
);

const asRecorded = (failure: unknown) =>
  new ActivityFailure(
    'activity failed',
    'step',
    '1',
    RetryState.NON_RETRYABLE_FAILURE,
    undefined,
    failure as Error,
  );

describe('domain errors in activities', () => {
  it('lists exactly the domain error classes that cannot succeed on a retry (all but the rate limit)', () => {
    const names = domainErrorClasses.filter((c) => c !== RateLimitError).map((c) => c.name);
    expect(names.sort()).toEqual([...DOMAIN_FAILURE_TYPES].sort());
  });

  it.each(domainErrorClasses.filter((c) => c !== RateLimitError).map((c) => [c.name, c] as const))(
    'turns a %s into a non-retryable failure of its type, carrying its code',
    (name, ErrorClass) => {
      const failure = asActivityFailure(new ErrorClass('some_code', 'It cannot be done.', 'field'));
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: name, nonRetryable: true, message: 'It cannot be done.' });
      expect(domainFailureOf(asRecorded(failure))).toEqual({
        type: name,
        code: 'some_code',
        message: 'It cannot be done.',
        param: 'field',
      });
    },
  );

  it.each([
    ['a rate limit', new RateLimitError('rate_limited', 'Slow down.')],
    ['a plain error', new Error('connection terminated')],
    ['a non-error', 'boom'],
  ])('leaves %s to be retried', (_label, error) => {
    expect(asActivityFailure(error)).toBe(error);
    expect(domainFailureOf(asRecorded(error))).toBeNull();
  });

  it('does not take a retryable application failure of another type for a domain failure', () => {
    expect(domainFailureOf(asRecorded(ApplicationFailure.retryable('busy', 'Busy')))).toBeNull();
  });

  it('names the domain failure types in every retry policy it builds', () => {
    expect(retryTransientFaults({ initialInterval: '1 second' })).toEqual({
      initialInterval: '1 second',
      nonRetryableErrorTypes: [...DOMAIN_FAILURE_TYPES],
    });
  });
});
