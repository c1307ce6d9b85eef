import fc from 'fast-check';
import { backoffDelayMs, DEFAULT_BACKOFF, retriableStatus, retryAfterMs } from './retry-policy.js';

describe('retriableStatus', () => {
  it.each([
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [401, false],
    [402, false],
    [404, false],
    [409, false],
    [422, false],
    [501, false],
  ])('%i → %s', (status, expected) => {
    expect(retriableStatus(status)).toBe(expected);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it.each([
    [null, undefined],
    ['', undefined],
    ['soon', undefined],
    ['0', 0],
    ['2', 2000],
    ['1.5', 1500],
    ['Sun, 01 Mar 2026 12:00:03 GMT', 3000],
    ['Sun, 01 Mar 2026 11:59:00 GMT', 0],
  ])('%p → %p', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});

describe('backoffDelayMs', () => {
  it.each([
    // retry, random, Retry-After, wait
    [1, 0, undefined, 250],
    [1, 0.999999, undefined, 499.99975],
    [2, 0, undefined, 500],
    [3, 0.5, undefined, 1500],
    [10, 0, undefined, 10_000],
    [10, 0.999999, undefined, 19_999.99],
    [1, 0, 3000, 3000],
    [1, 0, 120_000, 20_000],
  ])('retry %i, random %p, Retry-After %p → %p ms', (retry, random, retryAfter, expected) => {
    expect(backoffDelayMs(retry, random, retryAfter)).toBeCloseTo(expected, 3);
  });

  it('waits at least half the exponential step, never beyond the cap, never less than Retry-After below the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
        (retry, random, retryAfter) => {
          const wait = backoffDelayMs(retry, random, retryAfter);
          const step = Math.min(
            DEFAULT_BACKOFF.maxDelayMs,
            DEFAULT_BACKOFF.initialDelayMs * 2 ** (retry - 1),
          );
          expect(wait).toBeGreaterThanOrEqual(step / 2);
          expect(wait).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxDelayMs);
          if (retryAfter !== undefined) {
            expect(wait).toBeGreaterThanOrEqual(Math.min(retryAfter, DEFAULT_BACKOFF.maxDelayMs));
          }
        },
      ),
    );
  });
});
