import fc from 'fast-check';
import { cents, centsText } from '../../../test/support/cents.js';
import {
  decide,
  grantedAmount,
  type AutoTopUp,
  type GrantedGrant,
  type MonitorFlags,
  type MonitorInput,
} from './monitor.js';
import type { Threshold } from './thresholds.js';

const NUM_RUNS = 300;
const at = (iso: string): Date => new Date(iso);

const PERCENT_20: Threshold = { kind: 'percent', percent: '20' };
const AMOUNT_5: Threshold = { kind: 'amount', amount: '5' };
const ARMED: MonitorFlags = { thresholdNotified: false, depletionNotified: false, topUpSpent: false };
const SPENT: MonitorFlags = { thresholdNotified: true, depletionNotified: true, topUpSpent: true };
const TOP_UP: AutoTopUp = { threshold: '10', amount: '50' };

function input(overrides: Partial<MonitorInput>): MonitorInput {
  return {
    granted: '100',
    remaining: '100',
    threshold: PERCENT_20,
    autoTopUp: null,
    flags: ARMED,
    ...overrides,
  };
}

describe('decide', () => {
  describe('the threshold notice', () => {
    it.each<[string, Threshold, string, string, boolean]>([
      ['20 % of 100, 20 left (at)', PERCENT_20, '100', '20', true],
      ['20 % of 100, 19.99 left (below)', PERCENT_20, '100', '19.99', true],
      ['20 % of 100, 20.01 left (above)', PERCENT_20, '100', '20.01', false],
      ['an amount of 5, 5 left (at)', AMOUNT_5, '100', '5.00', true],
      ['an amount of 5, 5.01 left (above)', AMOUNT_5, '100', '5.01', false],
      [
        'an amount of 5 with 1000 granted and 150 left (20 % would be crossed)',
        AMOUNT_5,
        '1000',
        '150',
        false,
      ],
      ['20 % of 1000 with 150 left (an amount of 5 would not be crossed)', PERCENT_20, '1000', '150', true],
      ['an amount of 5 above all that was granted', AMOUNT_5, '3', '3', true],
      ['nothing granted, nothing left', PERCENT_20, '0', '0', false],
      ['nothing granted, an amount threshold', AMOUNT_5, '0', '0', false],
    ])('%s → %s', (_name, threshold, granted, remaining, crossed) => {
      const decision = decide(input({ threshold, granted, remaining }));
      expect(decision.notifyThreshold).toBe(crossed);
      expect(decision.flags.thresholdNotified).toBe(crossed);
    });

    it('fires once per crossing: not again while the balance stays at or below it', () => {
      const first = decide(input({ remaining: '20' }));
      expect(first.notifyThreshold).toBe(true);
      const second = decide(input({ remaining: '15', flags: first.flags }));
      expect(second.notifyThreshold).toBe(false);
      expect(second.flags.thresholdNotified).toBe(true);
      const third = decide(input({ remaining: '0', flags: second.flags }));
      expect(third.notifyThreshold).toBe(false);
    });

    it('re-arms once the balance is back above the threshold (a top-up), then fires on the next crossing', () => {
      const crossed = decide(input({ remaining: '10' }));
      const toppedUp = decide(input({ granted: '150', remaining: '60', flags: crossed.flags }));
      expect(toppedUp.notifyThreshold).toBe(false);
      expect(toppedUp.flags.thresholdNotified).toBe(false);
      const again = decide(input({ granted: '150', remaining: '30', flags: toppedUp.flags }));
      expect(again.notifyThreshold).toBe(true);
    });
  });

  describe('the depletion notice', () => {
    it.each<[string, string, string, boolean]>([
      ['granted, nothing left', '100', '0', true],
      ['granted, "0.00" left', '100', '0.00', true],
      ['granted, a negative balance', '100', '-1.50', true],
      ['granted, one cent left', '100', '0.01', false],
      ['nothing granted, nothing left', '0', '0', false],
      ['nothing granted, a negative balance', '0', '-5', false],
      ['a negative granted amount, nothing left', '-1', '0', false],
    ])('%s (granted %s, remaining %s) → %s', (_name, granted, remaining, depleted) => {
      const decision = decide(input({ granted, remaining }));
      expect(decision.notifyDepletion).toBe(depleted);
      expect(decision.flags.depletionNotified).toBe(depleted);
    });

    it('fires once until the balance recovers, then again on the next depletion', () => {
      const first = decide(input({ remaining: '0' }));
      expect(first.notifyDepletion).toBe(true);
      expect(first.notifyThreshold).toBe(true);
      const stillEmpty = decide(input({ remaining: '0', flags: first.flags }));
      expect(stillEmpty.notifyDepletion).toBe(false);
      expect(stillEmpty.notifyThreshold).toBe(false);
      const recovered = decide(input({ remaining: '0.01', flags: stillEmpty.flags }));
      expect(recovered.notifyDepletion).toBe(false);
      expect(recovered.flags.depletionNotified).toBe(false);
      // Still at or below 20 %: the threshold notice stays spent.
      expect(recovered.flags.thresholdNotified).toBe(true);
      const emptyAgain = decide(input({ remaining: '0', flags: recovered.flags }));
      expect(emptyAgain.notifyDepletion).toBe(true);
      expect(emptyAgain.notifyThreshold).toBe(false);
    });
  });

  describe('the auto top-up', () => {
    it('buys the configured amount (as configured) at or below its threshold', () => {
      const autoTopUp = { threshold: '10.00', amount: '50.00' };
      expect(decide(input({ remaining: '10', autoTopUp })).topUp).toBe('50.00');
      expect(decide(input({ remaining: '9.99', autoTopUp })).topUp).toBe('50.00');
      expect(decide(input({ remaining: '0', autoTopUp })).topUp).toBe('50.00');
      expect(decide(input({ remaining: '10.01', autoTopUp })).topUp).toBeNull();
    });

    it('is independent of the notice threshold', () => {
      // 50 left: above the top-up threshold of 10, below 20 % of 1000.
      const decision = decide(input({ granted: '1000', remaining: '50', autoTopUp: TOP_UP }));
      expect(decision).toEqual({
        notifyThreshold: true,
        notifyDepletion: false,
        topUp: null,
        flags: { thresholdNotified: true, depletionNotified: false, topUpSpent: false },
      });
      // 8 left: at or below the top-up threshold of 10, above an amount threshold of 5.
      const other = decide(input({ granted: '100', remaining: '8', threshold: AMOUNT_5, autoTopUp: TOP_UP }));
      expect(other.notifyThreshold).toBe(false);
      expect(other.topUp).toBe('50');
    });

    it('buys even when nothing was granted (a balance of 0 is at or below the threshold)', () => {
      const decision = decide(input({ granted: '0', remaining: '0', autoTopUp: TOP_UP }));
      expect(decision.topUp).toBe('50');
      expect(decision.notifyDepletion).toBe(false);
      expect(decision.notifyThreshold).toBe(false);
    });

    it('is never bought without an auto top-up, and leaves its flag unset', () => {
      const decision = decide(input({ remaining: '0', autoTopUp: null, flags: SPENT }));
      expect(decision.topUp).toBeNull();
      expect(decision.flags.topUpSpent).toBe(false);
    });

    it('a pending (unpaid) top-up is not bought twice: the balance is unchanged until it is paid', () => {
      const bought = decide(input({ remaining: '8', autoTopUp: TOP_UP }));
      expect(bought.topUp).toBe('50');
      expect(bought.flags.topUpSpent).toBe(true);
      // The purchase is pending: more folds, the balance stays or drops, nothing is bought again.
      let flags = bought.flags;
      for (const remaining of ['8', '8', '3', '0']) {
        const pending = decide(input({ remaining, autoTopUp: TOP_UP, flags }));
        expect(pending.topUp).toBeNull();
        expect(pending.flags.topUpSpent).toBe(true);
        flags = pending.flags;
      }
      // Paid: the balance is back above the threshold and the top-up re-arms.
      const paid = decide(input({ granted: '150', remaining: '50', autoTopUp: TOP_UP, flags }));
      expect(paid.topUp).toBeNull();
      expect(paid.flags.topUpSpent).toBe(false);
      const nextCrossing = decide(
        input({ granted: '150', remaining: '10', autoTopUp: TOP_UP, flags: paid.flags }),
      );
      expect(nextCrossing.topUp).toBe('50');
    });
  });

  it('notices nothing on a healthy balance and re-arms every flag', () => {
    expect(decide(input({ remaining: '90', autoTopUp: TOP_UP, flags: SPENT }))).toEqual({
      notifyThreshold: false,
      notifyDepletion: false,
      topUp: null,
      flags: ARMED,
    });
  });

  it('fires everything at once on a sudden depletion, and nothing on the next run', () => {
    const first = decide(input({ remaining: '0', autoTopUp: TOP_UP }));
    expect(first).toEqual({ notifyThreshold: true, notifyDepletion: true, topUp: '50', flags: SPENT });
    expect(decide(input({ remaining: '0', autoTopUp: TOP_UP, flags: first.flags }))).toEqual({
      notifyThreshold: false,
      notifyDepletion: false,
      topUp: null,
      flags: SPENT,
    });
  });

  describe('properties', () => {
    const threshold$: fc.Arbitrary<Threshold> = fc.oneof(
      fc.integer({ min: 0, max: 100 }).map((p): Threshold => ({ kind: 'percent', percent: String(p) })),
      fc
        .integer({ min: 0, max: 10_000 })
        .map((c): Threshold => ({ kind: 'amount', amount: centsText(BigInt(c)) })),
    );
    const autoTopUp$: fc.Arbitrary<AutoTopUp | null> = fc.option(
      fc.record({
        threshold: fc.integer({ min: 0, max: 10_000 }).map((c) => centsText(BigInt(c))),
        amount: fc.integer({ min: 1, max: 10_000 }).map((c) => centsText(BigInt(c))),
      }),
      { nil: null },
    );
    const flags$: fc.Arbitrary<MonitorFlags> = fc.record({
      thresholdNotified: fc.boolean(),
      depletionNotified: fc.boolean(),
      topUpSpent: fc.boolean(),
    });
    const balance$ = fc
      .tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: -500, max: 20_000 }))
      .map(([granted, remaining]) => ({
        granted: centsText(BigInt(granted)),
        remaining: centsText(BigInt(remaining)),
      }));

    /** The conditions, computed here in integer cents, independently of the module. */
    function conditions(i: Pick<MonitorInput, 'granted' | 'remaining' | 'threshold' | 'autoTopUp'>) {
      const granted = cents(i.granted);
      const remaining = cents(i.remaining);
      // remaining <= granted * percent / 100  ⇔  100 * remaining <= granted * percent (exact).
      const crossed =
        granted > 0n &&
        (i.threshold.kind === 'percent'
          ? 100n * remaining <= granted * BigInt(i.threshold.percent)
          : remaining <= cents(i.threshold.amount));
      const depleted = granted > 0n && remaining <= 0n;
      const needsTopUp = i.autoTopUp !== null && remaining <= cents(i.autoTopUp.threshold);
      return { crossed, depleted, needsTopUp };
    }

    it('notifies (or buys) exactly when the condition holds and its flag is not spent; the flags follow the conditions', () => {
      fc.assert(
        fc.property(balance$, threshold$, autoTopUp$, flags$, (balance, threshold, autoTopUp, flags) => {
          const given = { ...balance, threshold, autoTopUp };
          const { crossed, depleted, needsTopUp } = conditions(given);
          const decision = decide({ ...given, flags });
          expect(decision.notifyThreshold).toBe(crossed && !flags.thresholdNotified);
          expect(decision.notifyDepletion).toBe(depleted && !flags.depletionNotified);
          expect(decision.topUp).toBe(needsTopUp && !flags.topUpSpent ? autoTopUp!.amount : null);
          expect(decision.flags).toEqual({
            thresholdNotified: crossed,
            depletionNotified: depleted,
            topUpSpent: needsTopUp,
          });
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it('over a run of balances fed back its own flags, each notice and top-up happens once per crossing', () => {
      fc.assert(
        fc.property(
          fc.array(balance$, { minLength: 1, maxLength: 30 }),
          threshold$,
          autoTopUp$,
          (balances, threshold, autoTopUp) => {
            let flags = ARMED;
            let previous = { crossed: false, depleted: false, needsTopUp: false };
            const fired = { threshold: 0, depletion: 0, topUp: 0 };
            const crossings = { threshold: 0, depletion: 0, topUp: 0 };
            for (const balance of balances) {
              const now = conditions({ ...balance, threshold, autoTopUp });
              if (now.crossed && !previous.crossed) crossings.threshold++;
              if (now.depleted && !previous.depleted) crossings.depletion++;
              if (now.needsTopUp && !previous.needsTopUp) crossings.topUp++;
              const decision = decide({ ...balance, threshold, autoTopUp, flags });
              if (decision.notifyThreshold) fired.threshold++;
              if (decision.notifyDepletion) fired.depletion++;
              if (decision.topUp !== null) fired.topUp++;
              flags = decision.flags;
              previous = now;
            }
            expect(fired).toEqual(crossings);
          },
        ),
        { numRuns: NUM_RUNS },
      );
    });

    it('a decision fed its own flags with the same balance does nothing more', () => {
      fc.assert(
        fc.property(balance$, threshold$, autoTopUp$, flags$, (balance, threshold, autoTopUp, flags) => {
          const first = decide({ ...balance, threshold, autoTopUp, flags });
          const again = decide({ ...balance, threshold, autoTopUp, flags: first.flags });
          expect(again.notifyThreshold).toBe(false);
          expect(again.notifyDepletion).toBe(false);
          expect(again.topUp).toBeNull();
          expect(again.flags).toEqual(first.flags);
        }),
        { numRuns: NUM_RUNS },
      );
    });
  });
});

describe('grantedAmount', () => {
  const DEPLETED_AT = at('2026-03-10T00:00:00Z');

  function granted(overrides: Partial<GrantedGrant>): GrantedGrant {
    return { amount: '10', remaining: '10', activatedAt: at('2026-03-01T00:00:00Z'), ...overrides };
  }

  it('is 0 without grants', () => {
    expect(grantedAmount([], null)).toBe('0');
    expect(grantedAmount([], DEPLETED_AT)).toBe('0');
  });

  it('counts every grant (used up or not) when the balance never ran out', () => {
    const grants = [
      granted({ amount: '10', remaining: '0' }),
      granted({ amount: '5.50', remaining: '2' }),
      granted({ amount: '1', remaining: '0', activatedAt: null }),
    ];
    expect(grantedAmount(grants, null)).toBe('16.5');
  });

  it('adds amounts exactly, in canonical text', () => {
    const grants = [granted({ amount: '0.10' }), granted({ amount: '0.20' })];
    expect(grantedAmount(grants, null)).toBe('0.3');
  });

  it('counts grants with something left even if activated before the balance ran out', () => {
    const grants = [granted({ amount: '10', remaining: '0.01', activatedAt: at('2026-01-01T00:00:00Z') })];
    expect(grantedAmount(grants, DEPLETED_AT)).toBe('10');
  });

  it('counts grants with something left and no activation date', () => {
    expect(grantedAmount([granted({ amount: '7', remaining: '3', activatedAt: null })], DEPLETED_AT)).toBe(
      '7',
    );
  });

  it('drops grants used up before the balance ran out, keeps those activated after it', () => {
    const grants = [
      granted({ amount: '100', remaining: '0', activatedAt: at('2026-02-01T00:00:00Z') }),
      granted({ amount: '20', remaining: '0', activatedAt: at('2026-03-10T00:00:00.001Z') }),
      granted({ amount: '30', remaining: '12.50', activatedAt: at('2026-03-11T00:00:00Z') }),
    ];
    expect(grantedAmount(grants, DEPLETED_AT)).toBe('50');
  });

  it('drops a used-up grant activated exactly when the balance ran out (strictly after counts)', () => {
    expect(grantedAmount([granted({ remaining: '0', activatedAt: DEPLETED_AT })], DEPLETED_AT)).toBe('0');
    expect(
      grantedAmount(
        [granted({ remaining: '0', activatedAt: new Date(DEPLETED_AT.getTime() + 1) })],
        DEPLETED_AT,
      ),
    ).toBe('10');
  });

  it('drops a used-up grant without an activation date once the balance ran out', () => {
    expect(grantedAmount([granted({ remaining: '0.00', activatedAt: null })], DEPLETED_AT)).toBe('0');
  });

  it('treats a negative remaining as used up', () => {
    const grants = [granted({ amount: '10', remaining: '-1', activatedAt: at('2026-01-01T00:00:00Z') })];
    expect(grantedAmount(grants, DEPLETED_AT)).toBe('0');
    expect(grantedAmount(grants, null)).toBe('10');
  });

  describe('properties', () => {
    const BASE = at('2026-03-01T00:00:00Z').getTime();
    const DAY = 24 * 3_600_000;
    const instant$ = fc.integer({ min: -10 * DAY, max: 10 * DAY }).map((ms) => new Date(BASE + ms));
    const grant$: fc.Arbitrary<GrantedGrant> = fc
      .tuple(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.option(instant$, { nil: null }),
      )
      .map(([amount, percentLeft, activatedAt]) => ({
        amount: centsText(BigInt(amount)),
        // Some grants untouched, some used up, most in between.
        remaining: centsText((BigInt(amount) * BigInt(percentLeft)) / 100n),
        activatedAt,
      }));
    const grants$ = fc.array(grant$, { maxLength: 10 });

    it('is the sum of the grants with something left or activated after depletedAt', () => {
      fc.assert(
        fc.property(grants$, fc.option(instant$, { nil: null }), (grants, depletedAt) => {
          const expected = grants
            .filter(
              (g) =>
                cents(g.remaining) > 0n ||
                depletedAt === null ||
                (g.activatedAt !== null && g.activatedAt.getTime() > depletedAt.getTime()),
            )
            .reduce((sum, g) => sum + cents(g.amount), 0n);
          expect(cents(grantedAmount(grants, depletedAt))).toBe(expected);
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it('never counts more than all grants, nor less than those with something left; later depletions count less', () => {
      fc.assert(
        fc.property(grants$, instant$, instant$, (grants, a, b) => {
          const [earlier, later] = a <= b ? [a, b] : [b, a];
          const all = cents(grantedAmount(grants, null));
          const live = grants
            .filter((g) => cents(g.remaining) > 0n)
            .reduce((sum, g) => sum + cents(g.amount), 0n);
          const sinceEarlier = cents(grantedAmount(grants, earlier));
          const sinceLater = cents(grantedAmount(grants, later));
          expect(all).toBe(grants.reduce((sum, g) => sum + cents(g.amount), 0n));
          expect(sinceEarlier).toBeLessThanOrEqual(all);
          expect(sinceLater).toBeLessThanOrEqual(sinceEarlier);
          expect(sinceLater).toBeGreaterThanOrEqual(live);
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it('does not depend on the order of the grants', () => {
      fc.assert(
        fc.property(
          grants$.chain((gs) => fc.tuple(fc.constant(gs), fc.shuffledSubarray(gs, { minLength: gs.length }))),
          fc.option(instant$, { nil: null }),
          ([grants, shuffled], depletedAt) => {
            expect(grantedAmount(shuffled, depletedAt)).toBe(grantedAmount(grants, depletedAt));
          },
        ),
        { numRuns: NUM_RUNS },
      );
    });
  });
});
