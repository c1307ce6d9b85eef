import fc from 'fast-check';
import {
  DEFAULT_THRESHOLD,
  isCrossed,
  projectedDepletion,
  thresholdAmount,
  type Threshold,
} from './thresholds.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const at = (iso: string): Date => new Date(iso);
const NOW = at('2026-03-01T12:00:00Z');
const hoursAgo = (hours: number): Date => new Date(NOW.getTime() - hours * HOUR_MS);

const PERCENT_20: Threshold = { kind: 'percent', percent: '20' };

describe('thresholdAmount', () => {
  it.each<[string, Threshold, string, string]>([
    ['20 % of 15.00', PERCENT_20, '15.00', '3'],
    ['12.5 % of 10', { kind: 'percent', percent: '12.5' }, '10', '1.25'],
    ['20 % of 0.01', PERCENT_20, '0.01', '0.002'],
    ['0 % of 100', { kind: 'percent', percent: '0' }, '100', '0'],
    ['20 % of nothing', PERCENT_20, '0', '0'],
    ['an amount of 2.50, whatever was granted', { kind: 'amount', amount: '2.50' }, '1000', '2.5'],
    ['an amount of 0', { kind: 'amount', amount: '0.00' }, '15', '0'],
  ])('%s → %s', (_name, threshold, granted, expected) => {
    expect(thresholdAmount(threshold, granted)).toBe(expected);
  });

  it('defaults to 20 % of the granted amount', () => {
    expect(DEFAULT_THRESHOLD).toEqual(PERCENT_20);
  });
});

describe('isCrossed', () => {
  it.each<[string, Threshold, string, string, boolean]>([
    ['20 % of 15.00, 3.00 left (at)', PERCENT_20, '15.00', '3.00', true],
    ['20 % of 15.00, 2.99 left (below)', PERCENT_20, '15.00', '2.99', true],
    ['20 % of 15.00, 3.01 left (above)', PERCENT_20, '15.00', '3.01', false],
    ['20 % of 15.00, nothing left', PERCENT_20, '15.00', '0', true],
    ['20 % of 15.00, all left', PERCENT_20, '15.00', '15.00', false],
    ['an amount of 5, 5 left (at)', { kind: 'amount', amount: '5' }, '100', '5.00', true],
    ['an amount of 5, 4.99 left (below)', { kind: 'amount', amount: '5' }, '100', '4.99', true],
    ['an amount of 5, 5.01 left (above)', { kind: 'amount', amount: '5' }, '100', '5.01', false],
    ['20 % of nothing granted', PERCENT_20, '0', '0', false],
    ['an amount of 5 with nothing granted', { kind: 'amount', amount: '5' }, '0.00', '0', false],
  ])('%s → %s', (_name, threshold, granted, remaining, expected) => {
    expect(isCrossed(threshold, granted, remaining)).toBe(expected);
  });
});

describe('projectedDepletion', () => {
  it('3.00 left after burning 6.00 over the last 24 h runs out 12 h from now', () => {
    const consumptions = [
      { at: hoursAgo(20), amount: '2.50' },
      { at: hoursAgo(1), amount: '3.50' },
    ];
    expect(projectedDepletion('3.00', consumptions, NOW, DAY_MS)).toEqual(at('2026-03-02T00:00:00Z'));
  });

  it('ignores consumptions before the window or after now', () => {
    const consumptions = [
      { at: hoursAgo(25), amount: '100' },
      { at: hoursAgo(6), amount: '6.00' },
      { at: new Date(NOW.getTime() + HOUR_MS), amount: '100' },
    ];
    expect(projectedDepletion('3.00', consumptions, NOW, DAY_MS)).toEqual(at('2026-03-02T00:00:00Z'));
  });

  it('scales with the window: 6.00 burned over the last hour with 3.00 left runs out in 30 min', () => {
    expect(projectedDepletion('3', [{ at: hoursAgo(0.5), amount: '6' }], NOW, HOUR_MS)).toEqual(
      at('2026-03-01T12:30:00Z'),
    );
  });

  it('is null when nothing was burned in the window', () => {
    expect(projectedDepletion('3.00', [], NOW, DAY_MS)).toBeNull();
    expect(projectedDepletion('3.00', [{ at: hoursAgo(30), amount: '6' }], NOW, DAY_MS)).toBeNull();
    expect(projectedDepletion('3.00', [{ at: hoursAgo(2), amount: '0.00' }], NOW, DAY_MS)).toBeNull();
  });

  it('is null when nothing is left', () => {
    const consumptions = [{ at: hoursAgo(2), amount: '6' }];
    expect(projectedDepletion('0', consumptions, NOW, DAY_MS)).toBeNull();
    expect(projectedDepletion('0.00', consumptions, NOW, DAY_MS)).toBeNull();
  });

  it('never gives a later date for a larger burn', () => {
    const cents$ = (min: number, max: number) =>
      fc.integer({ min, max }).map((c) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, '0')}`);
    const consumption$ = fc.record({
      at: fc.integer({ min: 0, max: DAY_MS - 1 }).map((ms) => new Date(NOW.getTime() - ms)),
      amount: cents$(1, 100_000),
    });
    fc.assert(
      fc.property(
        cents$(1, 1_000_000),
        fc.array(consumption$, { minLength: 1, maxLength: 6 }),
        consumption$,
        (remaining, consumptions, extra) => {
          const smaller = projectedDepletion(remaining, consumptions, NOW, DAY_MS);
          const larger = projectedDepletion(remaining, [...consumptions, extra], NOW, DAY_MS);
          expect(smaller).not.toBeNull();
          expect(larger).not.toBeNull();
          expect(larger!.getTime()).toBeLessThanOrEqual(smaller!.getTime());
          expect(larger!.getTime()).toBeGreaterThanOrEqual(NOW.getTime());
        },
      ),
      { numRuns: 200 },
    );
  });
});
