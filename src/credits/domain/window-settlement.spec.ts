import fc from 'fast-check';
import { cents, centsText } from '../../../test/support/cents.js';
import {
  amountToDraw,
  amountToReturn,
  applyToInvoice,
  returnsFrom,
  type WindowAccount,
} from './window-settlement.js';

const NUM_RUNS = 300;

/** Canonical non-negative decimal text: no exponent, no trailing fraction zeros, never "-0". */
const CANONICAL_NON_NEGATIVE = /^(0|[1-9]\d*)(\.\d*[1-9])?$/;

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

const cents$ = (minCents: number, maxCents: number) =>
  fc.bigInt({ min: BigInt(minCents), max: BigInt(maxCents) });
/** Money text of cents, written in one of the ways clients write it ("1.50", "1.5", "1"). */
const money$ = (minCents: number, maxCents: number) =>
  cents$(minCents, maxCents).chain((value) => {
    const full = centsText(value);
    const shorter = [full];
    if (value % 10n === 0n) shorter.push(full.slice(0, -1));
    if (value % 100n === 0n) shorter.push(full.slice(0, -3));
    return fc.constantFrom(...shorter);
  });

describe('amountToDraw', () => {
  it.each<[string, WindowAccount, string]>([
    [
      'nothing drawn or billed yet: the whole priced amount',
      { priced: '10', drawn: '0', billedUncovered: '0' },
      '10',
    ],
    ['part drawn: the rest', { priced: '10.00', drawn: '4.00', billedUncovered: '0' }, '6'],
    [
      'part drawn, part billed: what neither covered',
      { priced: '10', drawn: '4', billedUncovered: '3.50' },
      '2.5',
    ],
    ['all drawn: nothing', { priced: '10', drawn: '10', billedUncovered: '0' }, '0'],
    ['drawn plus billed cover it exactly: nothing', { priced: '10', drawn: '4', billedUncovered: '6' }, '0'],
    [
      'all billed without credits: nothing (never draws a charged amount)',
      { priced: '7', drawn: '0', billedUncovered: '7' },
      '0',
    ],
    [
      'more drawn than priced: nothing, never negative',
      { priced: '5', drawn: '8', billedUncovered: '0' },
      '0',
    ],
    [
      'more billed than priced: nothing, never negative',
      { priced: '5', drawn: '1', billedUncovered: '6' },
      '0',
    ],
    ['nothing priced: nothing', { priced: '0', drawn: '0', billedUncovered: '0' }, '0'],
    ['a negative priced amount: nothing', { priced: '-5', drawn: '0', billedUncovered: '0' }, '0'],
    [
      'exact decimals: 0.30 - 0.10 - 0.20 is 0, not a float remainder',
      { priced: '0.30', drawn: '0.10', billedUncovered: '0.20' },
      '0',
    ],
    ['exact decimals: 0.3 - 0.1 - 0.1', { priced: '0.3', drawn: '0.1', billedUncovered: '0.1' }, '0.1'],
    [
      'canonical text without trailing zeros',
      { priced: '10.50', drawn: '0.50', billedUncovered: '0.00' },
      '10',
    ],
    [
      'sub-cent amounts are kept exactly',
      { priced: '1.0005', drawn: '0.0005', billedUncovered: '0.25' },
      '0.75',
    ],
  ])('%s', (_name, window, expected) => {
    expect(amountToDraw(window)).toBe(expected);
  });

  const window$ = fc.record({
    priced: money$(-500, 100_000),
    drawn: money$(0, 100_000),
    billedUncovered: money$(0, 100_000),
  });

  it('is priced - drawn - billedUncovered, floored at 0, in canonical text', () => {
    fc.assert(
      fc.property(window$, (window) => {
        const due = amountToDraw(window);
        expect(due).toMatch(CANONICAL_NON_NEGATIVE);
        const expected = max(cents(window.priced) - cents(window.drawn) - cents(window.billedUncovered), 0n);
        expect(cents(due)).toBe(expected);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('after drawing what it says, a replay draws nothing', () => {
    fc.assert(
      fc.property(window$, (window) => {
        const due = amountToDraw(window);
        const replayed = amountToDraw({ ...window, drawn: centsText(cents(window.drawn) + cents(due)) });
        expect(replayed).toBe('0');
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('drawing in steps as usage grows draws the same in total as drawing once at the end', () => {
    fc.assert(
      fc.property(
        fc.array(cents$(0, 10_000), { minLength: 1, maxLength: 8 }),
        cents$(0, 5_000),
        (usage, billed) => {
          let priced = 0n;
          let drawn = 0n;
          for (const amount of usage) {
            priced += amount;
            drawn += cents(
              amountToDraw({
                priced: centsText(priced),
                drawn: centsText(drawn),
                billedUncovered: centsText(billed),
              }),
            );
          }
          expect(drawn).toBe(max(priced - billed, 0n));
          expect(
            amountToDraw({
              priced: centsText(priced),
              drawn: centsText(drawn),
              billedUncovered: centsText(billed),
            }),
          ).toBe('0');
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('never draws less for more priced usage, nor more for more drawn or billed', () => {
    fc.assert(
      fc.property(window$, cents$(0, 10_000), (window, more) => {
        const due = cents(amountToDraw(window));
        const grown = (field: keyof WindowAccount) => ({
          ...window,
          [field]: centsText(cents(window[field]) + more),
        });
        expect(cents(amountToDraw(grown('priced')))).toBeGreaterThanOrEqual(due);
        expect(cents(amountToDraw(grown('drawn')))).toBeLessThanOrEqual(due);
        expect(cents(amountToDraw(grown('billedUncovered')))).toBeLessThanOrEqual(due);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('amountToReturn', () => {
  it.each<[string, WindowAccount, string]>([
    ['priced as paid: nothing', { priced: '10', drawn: '10', billedUncovered: '0' }, '0'],
    ['still owing: nothing (that is a draw)', { priced: '10', drawn: '4', billedUncovered: '0' }, '0'],
    ['corrected down, credits paid it: the excess', { priced: '6', drawn: '10', billedUncovered: '0' }, '4'],
    [
      'corrected down past what credits paid: credits only (the charged rest is adjusted on an invoice)',
      { priced: '2', drawn: '3', billedUncovered: '7' },
      '3',
    ],
    [
      'corrected down while part was charged: credits go back first',
      { priced: '8', drawn: '3', billedUncovered: '7' },
      '2',
    ],
    ['voided to nothing: all that was drawn', { priced: '0', drawn: '2.5', billedUncovered: '0' }, '2.5'],
  ])('%s', (_name, window, expected) => {
    expect(amountToReturn(window)).toBe(expected);
  });

  it('after the return, drawn + charged never exceed the priced amount by more than was charged', () => {
    fc.assert(
      fc.property(
        fc.record({
          priced: money$(0, 50_000),
          drawn: money$(0, 50_000),
          billedUncovered: money$(0, 50_000),
        }),
        (window) => {
          const returned = cents(amountToReturn(window));
          const drawn = cents(window.drawn) - returned;
          expect(returned).toBeGreaterThanOrEqual(0n);
          expect(drawn).toBeGreaterThanOrEqual(0n);
          if (cents(amountToDraw(window)) > 0n) expect(returned).toBe(0n);
          // Credits go back first: either the window is no longer over-paid, or no credit is left in it.
          const overpaid = drawn + cents(window.billedUncovered) - cents(window.priced);
          expect(overpaid <= 0n || drawn === 0n).toBe(true);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('returnsFrom', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 2, day));
  const draws = [
    { grantId: 'cg_a', drawn: '5', lastDrawnAt: at(1) },
    { grantId: 'cg_b', drawn: '3', lastDrawnAt: at(9) },
    { grantId: 'cg_c', drawn: '0', lastDrawnAt: at(12) },
  ];

  it.each<[string, string, string[], Array<{ grantId: string; amount: string }>]>([
    ['the latest drawn grant first', '2', ['cg_a', 'cg_b', 'cg_c'], [{ grantId: 'cg_b', amount: '2' }]],
    [
      'then the earlier ones, each at most what it drew',
      '6',
      ['cg_a', 'cg_b', 'cg_c'],
      [
        { grantId: 'cg_b', amount: '3' },
        { grantId: 'cg_a', amount: '3' },
      ],
    ],
    ['skips a grant that cannot take it back', '4', ['cg_a'], [{ grantId: 'cg_a', amount: '4' }]],
    [
      'what no grant can take stays drawn',
      '20',
      ['cg_a', 'cg_b'],
      [
        { grantId: 'cg_b', amount: '3' },
        { grantId: 'cg_a', amount: '5' },
      ],
    ],
    ['nothing to return', '0', ['cg_a', 'cg_b'], []],
  ])('%s', (_name, amount, returnable, expected) => {
    expect(returnsFrom(draws, amount, (id) => returnable.includes(id))).toEqual(expected);
  });
});

describe('applyToInvoice', () => {
  it.each<[string, string, string, string, string]>([
    ['less drawn than the share: applies all of it, charges the rest', '10', '4', '4', '6'],
    ['more drawn than the share: applies the share, charges nothing', '10', '15', '10', '0'],
    ['exactly the share drawn', '10.00', '10.00', '10', '0'],
    ['nothing drawn: charges the whole share', '10', '0', '0', '10'],
    ['a zero share: applies and charges nothing', '0', '5', '0', '0'],
    ['a zero share and nothing drawn', '0.00', '0.00', '0', '0'],
    ['a negative available (more applied than drawn): applies nothing', '10', '-3', '0', '10'],
    ['exact decimals: 0.30 with 0.10 available', '0.30', '0.10', '0.1', '0.2'],
    ['canonical text without trailing zeros', '10.50', '0.50', '0.5', '10'],
    ['sub-cent amounts are kept exactly', '1.0005', '0.0005', '0.0005', '1'],
  ])(
    '%s (share %s, available %s → applied %s, uncovered %s)',
    (_name, share, available, applied, uncovered) => {
      expect(applyToInvoice({ share, available })).toEqual({ applied, uncovered });
    },
  );

  it.each<[string, string, string, string, string]>([
    ['credits returned cover the correction: un-applies all of it', '-2', '-2', '-2', '0'],
    ['credits returned cover part: un-applies them, the rest is a negative charge', '-5', '-2', '-2', '-3'],
    ['nothing returned (all of it was charged): a negative charge', '-5', '0', '0', '-5'],
    ['drawn credits still available are not taken for a negative share', '-2', '5', '0', '-2'],
    ['more returned than the share: un-applies only the share', '-2', '-7', '-2', '0'],
  ])(
    'a negative share: %s (share %s, available %s → applied %s, uncovered %s)',
    (_name, share, available, applied, uncovered) => {
      expect(applyToInvoice({ share, available })).toEqual({ applied, uncovered });
    },
  );

  const split$ = fc.record({ share: money$(0, 100_000), available: money$(-1_000, 100_000) });

  it('a negative share: applied + uncovered == share, applied between the share and 0', () => {
    fc.assert(
      fc.property(
        fc.record({ share: money$(-100_000, 0), available: money$(-100_000, 100_000) }),
        (window) => {
          const { applied, uncovered } = applyToInvoice(window);
          expect(cents(applied) + cents(uncovered)).toBe(cents(window.share));
          expect(cents(applied)).toBeLessThanOrEqual(0n);
          expect(cents(applied)).toBeGreaterThanOrEqual(cents(window.share));
          expect(cents(uncovered)).toBeLessThanOrEqual(0n);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('applied + uncovered == share exactly, both non-negative and canonical', () => {
    fc.assert(
      fc.property(split$, (window) => {
        const { applied, uncovered } = applyToInvoice(window);
        expect(applied).toMatch(CANONICAL_NON_NEGATIVE);
        expect(uncovered).toMatch(CANONICAL_NON_NEGATIVE);
        expect(cents(applied) + cents(uncovered)).toBe(cents(window.share));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('applies as much as it can: min(share, available), and never more than was drawn', () => {
    fc.assert(
      fc.property(split$, (window) => {
        const { applied, uncovered } = applyToInvoice(window);
        const available = max(cents(window.available), 0n);
        expect(cents(applied)).toBe(min(cents(window.share), available));
        expect(cents(applied)).toBeLessThanOrEqual(available);
        if (available >= cents(window.share)) expect(uncovered).toBe('0');
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('billing a window in several invoices applies each drawn amount once and charges only the rest', () => {
    fc.assert(
      fc.property(
        cents$(0, 20_000),
        fc.array(cents$(0, 5_000), { minLength: 1, maxLength: 6 }),
        (drawn, shares) => {
          let applied = 0n;
          let uncovered = 0n;
          for (const share of shares) {
            const split = applyToInvoice({ share: centsText(share), available: centsText(drawn - applied) });
            applied += cents(split.applied);
            uncovered += cents(split.uncovered);
          }
          const billed = shares.reduce((sum, share) => sum + share, 0n);
          expect(applied).toBe(min(drawn, billed));
          expect(applied + uncovered).toBe(billed);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
