import fc from 'fast-check';
import { cents, centsText } from '../../../test/support/cents.js';
import { allocate, balanceOf, type Allocation, type GrantBalance } from './allocation.js';

const NUM_RUNS = 200;
const HOUR_MS = 3_600_000;
const at = (iso: string): Date => new Date(iso);
const NOW = at('2026-03-01T12:00:00Z');

function grant(overrides: Partial<GrantBalance> & Pick<GrantBalance, 'id'>): GrantBalance {
  return {
    remaining: '10.00',
    priority: 0,
    expiresAt: null,
    createdAt: at('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

/** The grants after the draws are taken off their remainings. */
function applyDraws(grants: readonly GrantBalance[], { draws }: Allocation): GrantBalance[] {
  return grants.map((g) => {
    const drawn = draws.filter((d) => d.grantId === g.id).reduce((sum, d) => sum + cents(d.amount), 0n);
    return { ...g, remaining: centsText(cents(g.remaining) - drawn) };
  });
}

function drawnPerGrant(...allocations: Allocation[]): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const { draws } of allocations) {
    for (const d of draws) totals.set(d.grantId, (totals.get(d.grantId) ?? 0n) + cents(d.amount));
  }
  return totals;
}

describe('allocate', () => {
  describe('the product spec example', () => {
    const grants = [
      grant({ id: 'ten', remaining: '10.00', expiresAt: at('2026-06-01T00:00:00Z') }),
      grant({ id: 'five', remaining: '5.00', expiresAt: at('2026-04-01T00:00:00Z') }),
    ];

    it('draws 12.00 from the sooner-expiring grant first, leaving 3.00', () => {
      const allocation = allocate(grants, '12.00', NOW);
      expect(allocation).toEqual({
        draws: [
          { grantId: 'five', amount: '5' },
          { grantId: 'ten', amount: '7' },
        ],
        uncovered: '0',
      });
      expect(balanceOf(applyDraws(grants, allocation), NOW)).toBe('3');
    });

    it('then draws 4.00 as 3.00 from what is left and 1.00 uncovered, leaving 0', () => {
      const afterFirst = applyDraws(grants, allocate(grants, '12.00', NOW));
      const allocation = allocate(afterFirst, '4.00', NOW);
      expect(allocation).toEqual({ draws: [{ grantId: 'ten', amount: '3' }], uncovered: '1' });
      expect(balanceOf(applyDraws(afterFirst, allocation), NOW)).toBe('0');
    });
  });

  interface OrderCase {
    name: string;
    grants: GrantBalance[];
    first: string;
  }

  const ORDER_CASES: OrderCase[] = [
    {
      name: 'a higher priority beats a sooner expiry',
      grants: [
        grant({ id: 'soon', priority: 0, expiresAt: at('2026-03-02T00:00:00Z') }),
        grant({ id: 'urgent', priority: 2, expiresAt: at('2027-01-01T00:00:00Z') }),
      ],
      first: 'urgent',
    },
    {
      name: 'a grant that never expires comes after one that does, however late',
      grants: [
        grant({ id: 'forever', expiresAt: null, createdAt: at('2025-01-01T00:00:00Z') }),
        grant({ id: 'late', expiresAt: at('2099-01-01T00:00:00Z'), createdAt: at('2026-02-01T00:00:00Z') }),
      ],
      first: 'late',
    },
    {
      name: 'equal priority and expiry: the older grant first',
      grants: [
        grant({ id: 'a-newer', createdAt: at('2026-02-01T00:00:00Z') }),
        grant({ id: 'b-older', createdAt: at('2026-01-01T00:00:00Z') }),
      ],
      first: 'b-older',
    },
    {
      name: 'equal priority, expiry and age: the smaller id first',
      grants: [grant({ id: 'grant_b' }), grant({ id: 'grant_a' })],
      first: 'grant_a',
    },
    {
      name: 'equal priority, no expiry on either: the older grant first',
      grants: [
        grant({ id: 'newer', expiresAt: null, createdAt: at('2026-02-01T00:00:00Z') }),
        grant({ id: 'older', expiresAt: null, createdAt: at('2026-01-01T00:00:00Z') }),
      ],
      first: 'older',
    },
  ];

  it.each(ORDER_CASES)('$name', ({ grants, first }) => {
    const second = grants.find((g) => g.id !== first)!.id;
    for (const order of [grants, [...grants].reverse()]) {
      expect(allocate(order, '12', NOW)).toEqual({
        draws: [
          { grantId: first, amount: '10' },
          { grantId: second, amount: '2' },
        ],
        uncovered: '0',
      });
    }
  });

  it('skips grants expiring at or before the instant, but not just after it', () => {
    const grants = [
      grant({ id: 'expired', priority: 3, expiresAt: at('2026-03-01T11:00:00Z') }),
      grant({ id: 'expiring-now', priority: 2, expiresAt: NOW }),
      grant({ id: 'one-ms-left', priority: 1, remaining: '1', expiresAt: new Date(NOW.getTime() + 1) }),
      grant({ id: 'open', priority: 0, remaining: '1' }),
    ];
    expect(allocate(grants, '5', NOW)).toEqual({
      draws: [
        { grantId: 'one-ms-left', amount: '1' },
        { grantId: 'open', amount: '1' },
      ],
      uncovered: '3',
    });
  });

  it('skips empty grants', () => {
    const grants = [
      grant({ id: 'empty', priority: 3, remaining: '0.00' }),
      grant({ id: 'full', remaining: '2' }),
    ];
    expect(allocate(grants, '1.50', NOW)).toEqual({
      draws: [{ grantId: 'full', amount: '1.5' }],
      uncovered: '0',
    });
  });

  it('draws nothing for a zero amount', () => {
    expect(allocate([grant({ id: 'g' })], '0', NOW)).toEqual({ draws: [], uncovered: '0' });
    expect(allocate([grant({ id: 'g' })], '0.00', NOW)).toEqual({ draws: [], uncovered: '0' });
  });

  it('leaves everything uncovered without grants', () => {
    expect(allocate([], '7.25', NOW)).toEqual({ draws: [], uncovered: '7.25' });
  });

  it('stops drawing once the amount is covered', () => {
    const grants = [grant({ id: 'first', priority: 1 }), grant({ id: 'second' })];
    expect(allocate(grants, '10.00', NOW)).toEqual({
      draws: [{ grantId: 'first', amount: '10' }],
      uncovered: '0',
    });
  });

  it.each(['-1', '-0.01'])('throws a RangeError for the negative amount %s', (amount) => {
    expect(() => allocate([grant({ id: 'g' })], amount, NOW)).toThrow(RangeError);
  });
});

describe('balanceOf', () => {
  it('adds up the live grants exactly', () => {
    const grants = [grant({ id: 'a', remaining: '0.10' }), grant({ id: 'b', remaining: '0.20' })];
    expect(balanceOf(grants, NOW)).toBe('0.3');
  });

  it('ignores expired grants, including one expiring at the instant', () => {
    const grants = [
      grant({ id: 'expired', remaining: '100', expiresAt: at('2026-02-01T00:00:00Z') }),
      grant({ id: 'expiring-now', remaining: '50', expiresAt: NOW }),
      grant({ id: 'live', remaining: '2.5', expiresAt: at('2026-03-01T12:00:01Z') }),
      grant({ id: 'open', remaining: '1' }),
    ];
    expect(balanceOf(grants, NOW)).toBe('3.5');
  });

  it('is 0 without live grants', () => {
    expect(balanceOf([], NOW)).toBe('0');
    expect(balanceOf([grant({ id: 'empty', remaining: '0' })], NOW)).toBe('0');
  });
});

describe('allocation properties', () => {
  /** Decimal text of up to 2 fraction digits, trailing zeros sometimes kept ("1.50", "1.5", "2"). */
  const money$ = (maxCents: number) =>
    fc
      .tuple(fc.integer({ min: 0, max: maxCents }), fc.constantFrom(0, 1, 2))
      .filter(([units, scale]) => scale === 2 || units % 10 ** (2 - scale) === 0)
      .map(([units, scale]) => {
        const text = centsText(BigInt(units));
        return scale === 2 ? text : scale === 1 ? text.slice(0, -1) : text.slice(0, -3);
      });

  const offset$ = fc.oneof(
    fc.constant(0),
    fc.integer({ min: -3 * HOUR_MS, max: 3 * HOUR_MS }),
    fc.constantFrom(-1, 1),
  );

  const grant$: fc.Arbitrary<Omit<GrantBalance, 'id'>> = fc.record({
    remaining: money$(5_000),
    priority: fc.integer({ min: 0, max: 3 }),
    expiresAt: fc.option(
      offset$.map((ms) => new Date(NOW.getTime() + ms)),
      { nil: null },
    ),
    createdAt: fc.integer({ min: -3, max: 0 }).map((days) => new Date(NOW.getTime() + days * 24 * HOUR_MS)),
  });

  const grants$: fc.Arbitrary<GrantBalance[]> = fc.array(grant$, { maxLength: 8 }).chain((gs) =>
    fc
      .uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), {
        minLength: gs.length,
        maxLength: gs.length,
      })
      .map((ids) => gs.map((g, i) => ({ ...g, id: ids[i] }))),
  );

  const amount$ = money$(30_000);

  const isLiveAtNow = (g: GrantBalance): boolean =>
    (g.expiresAt === null || g.expiresAt.getTime() > NOW.getTime()) && cents(g.remaining) > 0n;

  it('draws plus uncovered add up exactly to the amount', () => {
    fc.assert(
      fc.property(grants$, amount$, (grants, amount) => {
        const { draws, uncovered } = allocate(grants, amount, NOW);
        const total = draws.reduce((sum, d) => sum + cents(d.amount), cents(uncovered));
        expect(total).toBe(cents(amount));
        expect(cents(uncovered)).toBeGreaterThanOrEqual(0n);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('draws only from live grants, each once, positive and at most its remaining', () => {
    fc.assert(
      fc.property(grants$, amount$, (grants, amount) => {
        const { draws } = allocate(grants, amount, NOW);
        const ids = draws.map((d) => d.grantId);
        expect(new Set(ids).size).toBe(ids.length);
        for (const d of draws) {
          const source = grants.find((g) => g.id === d.grantId);
          expect(source).toBeDefined();
          expect(isLiveAtNow(source!)).toBe(true);
          expect(cents(d.amount)).toBeGreaterThan(0n);
          expect(cents(d.amount)).toBeLessThanOrEqual(cents(source!.remaining));
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('only the last draw can be partial, and priorities never rise along the draws', () => {
    fc.assert(
      fc.property(grants$, amount$, (grants, amount) => {
        const { draws, uncovered } = allocate(grants, amount, NOW);
        const byId = new Map(grants.map((g) => [g.id, g]));
        draws
          .slice(0, -1)
          .forEach((d) => expect(cents(d.amount)).toBe(cents(byId.get(d.grantId)!.remaining)));
        for (let i = 1; i < draws.length; i++) {
          expect(byId.get(draws[i].grantId)!.priority).toBeLessThanOrEqual(
            byId.get(draws[i - 1].grantId)!.priority,
          );
        }
        if (cents(uncovered) > 0n) expect(draws).toHaveLength(grants.filter(isLiveAtNow).length);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('never makes a balance negative, and lowers the balance by the amount down to 0', () => {
    fc.assert(
      fc.property(grants$, amount$, (grants, amount) => {
        const before = cents(balanceOf(grants, NOW));
        const after = applyDraws(grants, allocate(grants, amount, NOW));
        for (const g of after) expect(cents(g.remaining)).toBeGreaterThanOrEqual(0n);
        const expected = before > cents(amount) ? before - cents(amount) : 0n;
        expect(cents(balanceOf(after, NOW))).toBe(expected);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('leaves nothing uncovered when the balance covers the amount', () => {
    fc.assert(
      fc.property(grants$, amount$, (grants, amount) => {
        fc.pre(cents(amount) <= cents(balanceOf(grants, NOW)));
        expect(allocate(grants, amount, NOW).uncovered).toBe('0');
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('covers exactly the balance when the amount exceeds it', () => {
    fc.assert(
      fc.property(grants$, amount$, (grants, amount) => {
        const balance = cents(balanceOf(grants, NOW));
        fc.pre(cents(amount) > balance);
        expect(cents(allocate(grants, amount, NOW).uncovered)).toBe(cents(amount) - balance);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('drawing a then b gives each grant the same total as drawing a + b at once', () => {
    fc.assert(
      fc.property(grants$, amount$, amount$, (grants, a, b) => {
        const first = allocate(grants, a, NOW);
        const second = allocate(applyDraws(grants, first), b, NOW);
        const once = allocate(grants, centsText(cents(a) + cents(b)), NOW);
        expect(drawnPerGrant(first, second)).toEqual(drawnPerGrant(once));
        expect(cents(first.uncovered) + cents(second.uncovered)).toBe(cents(once.uncovered));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
