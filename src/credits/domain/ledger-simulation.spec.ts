import fc from 'fast-check';
import { decimalText, ExactDecimal } from '../../common/money/decimal.js';
import { allocate, balanceOf, type GrantBalance } from './allocation.js';
import { creditWindowEnd, creditWindowStart } from './credit-window.js';
import { amountToDraw, applyToInvoice } from './window-settlement.js';

/**
 * A model of one payer's credits in one currency, driven the way the fold and invoice listeners
 * drive the domain functions: usage is priced per credit window and draws what the window still
 * owes (amountToDraw + allocate), invoices apply what was drawn and charge the rest
 * (applyToInvoice). Money is exact decimal text throughout; the model's own bookkeeping uses
 * ExactDecimal, never JS numbers.
 */

const NUM_RUNS = 300;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const START = new Date('2025-12-01T00:00:00Z');
/** Dec 2025, Jan 2026, Feb 2026: the windows straddle a year end. */
const WINDOWS = [START, creditWindowEnd(START), creditWindowEnd(creditWindowEnd(START))];

const ZERO = new ExactDecimal(0);
const dec = (text: string): ExactDecimal => new ExactDecimal(text);
const text = (value: ExactDecimal): string => decimalText(value);
/** Money text of integer cents, computed exactly ("12.5" for 1250). */
const money = (cents: number): string => text(new ExactDecimal(cents).div(100));
const sum = (values: Iterable<ExactDecimal>): ExactDecimal => {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
};

/** Exact equality of decimals, reported as text so a failure shows both sides. */
function expectSame(actual: ExactDecimal | string, expected: ExactDecimal | string): void {
  expect(text(dec(actual.toString()))).toBe(text(dec(expected.toString())));
}
function expectAtMost(actual: ExactDecimal, limit: ExactDecimal, what: string): void {
  if (actual.greaterThan(limit)) throw new Error(`${what}: ${text(actual)} > ${text(limit)}`);
}

interface SimGrant extends GrantBalance {
  amount: string;
}

interface WindowState {
  start: Date;
  /** The priced amount of the window's usage (usage here is additive). */
  priced: ExactDecimal;
  drawn: ExactDecimal;
  /** Of what was drawn, applied on invoices. */
  applied: ExactDecimal;
  /** Charged on invoices without credits. */
  billedUncovered: ExactDecimal;
  /** The shares invoices billed: every priced amount is billed once. */
  billed: ExactDecimal;
  /** Whether a grant was added since the window last drew (only then can a replay draw). */
  grantAddedSinceFold: boolean;
}

interface LedgerDraw {
  grantId: string;
  window: number;
  amount: ExactDecimal;
}

class PayerModel {
  now = START;
  readonly grants: SimGrant[] = [];
  readonly ledger: LedgerDraw[] = [];
  readonly windows: WindowState[] = WINDOWS.map((start) => ({
    start,
    priced: ZERO,
    drawn: ZERO,
    applied: ZERO,
    billedUncovered: ZERO,
    billed: ZERO,
    grantAddedSinceFold: false,
  }));
  granted = ZERO;
  drawn = ZERO;

  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }

  addGrant(amountCents: number, priority: number, expiresInMs: number | null): SimGrant {
    const amount = money(amountCents);
    const grant: SimGrant = {
      id: `grant_${String(this.grants.length).padStart(3, '0')}`,
      amount,
      remaining: amount,
      priority,
      expiresAt: expiresInMs === null ? null : new Date(this.now.getTime() + expiresInMs),
      createdAt: this.now,
    };
    this.grants.push(grant);
    this.granted = this.granted.plus(amount);
    for (const window of this.windows) window.grantAddedSinceFold = true;
    return grant;
  }

  /** Usage priced into a window, folded: the window draws what it still owes. Returns what was drawn. */
  addUsage(window: number, cents: number): ExactDecimal {
    const state = this.windows[window];
    state.priced = state.priced.plus(money(cents));
    const drawn = this.fold(window);
    // A fold replayed right away draws nothing, whatever the first one did.
    expectSame(this.fold(window), ZERO);
    return drawn;
  }

  /** A fold of the window: prices it (unchanged here) and draws what it still owes. */
  fold(window: number): ExactDecimal {
    const state = this.windows[window];
    const due = amountToDraw({
      priced: text(state.priced),
      drawn: text(state.drawn),
      billedUncovered: text(state.billedUncovered),
    });
    // The window never drew or charged more than it priced, so nothing is clamped away.
    expectSame(due, state.priced.minus(state.drawn).minus(state.billedUncovered));
    const balanceBefore = dec(balanceOf(this.grants, this.now));
    const allocation = allocate(this.grants, due, this.now);
    let drawn = ZERO;
    for (const draw of allocation.draws) {
      const grant = this.grants.find((g) => g.id === draw.grantId)!;
      expect(grant).toBeDefined();
      expect(grant.expiresAt === null || grant.expiresAt > this.now).toBe(true);
      grant.remaining = text(dec(grant.remaining).minus(draw.amount));
      this.ledger.push({ grantId: grant.id, window, amount: dec(draw.amount) });
      drawn = drawn.plus(draw.amount);
    }
    expectSame(drawn.plus(allocation.uncovered), due);
    // It draws all it owes when the balance covers it, and the whole balance otherwise.
    expectSame(drawn, ExactDecimal.min(dec(due), balanceBefore));
    state.drawn = state.drawn.plus(drawn);
    this.drawn = this.drawn.plus(drawn);
    state.grantAddedSinceFold = false;
    return drawn;
  }

  /** An invoice billing the window's usage not billed yet: applies what was drawn, charges the rest. */
  invoice(window: number): { share: string; applied: string; uncovered: string } {
    const state = this.windows[window];
    const share = text(state.priced.minus(state.billed));
    const available = state.drawn.minus(state.applied);
    const split = applyToInvoice({ share, available: text(available) });
    // Never both applied and charged: the two parts are the share, exactly.
    expectSame(dec(split.applied).plus(split.uncovered), share);
    expectAtMost(dec(split.applied), available, 'applied beyond what is available');
    expect(dec(split.applied).isNegative()).toBe(false);
    expect(dec(split.uncovered).isNegative()).toBe(false);
    state.applied = state.applied.plus(split.applied);
    state.billedUncovered = state.billedUncovered.plus(split.uncovered);
    state.billed = state.billed.plus(share);
    return { share, ...split };
  }

  /** A fold replayed with no new usage. */
  replay(window: number): ExactDecimal {
    const state = this.windows[window];
    const owed = state.priced.minus(state.drawn).minus(state.billedUncovered);
    const couldDraw = state.grantAddedSinceFold;
    const drawn = this.fold(window);
    expectAtMost(drawn, owed, 'a replay drew more than the window owed');
    // Without a new grant since the window last drew, there is nothing a replay may draw.
    if (!couldDraw) expectSame(drawn, ZERO);
    return drawn;
  }

  checkInvariants(): void {
    const remainings: ExactDecimal[] = [];
    let expired = ZERO;
    for (const grant of this.grants) {
      const remaining = dec(grant.remaining);
      expect(remaining.isNegative()).toBe(false);
      expectAtMost(remaining, dec(grant.amount), `${grant.id} has more left than granted`);
      // What a grant lost is exactly what the ledger drew from it.
      const fromLedger = sum(this.ledger.filter((d) => d.grantId === grant.id).map((d) => d.amount));
      expectSame(dec(grant.amount).minus(remaining), fromLedger);
      remainings.push(remaining);
      if (grant.expiresAt !== null && grant.expiresAt <= this.now) expired = expired.plus(remaining);
    }
    // Every grant's remaining, expired or not, is the granted total less the drawn total.
    expectSame(sum(remainings), this.granted.minus(this.drawn));
    // The balance leaves out what expired unused, and nothing else.
    const balance = balanceOf(this.grants, this.now);
    expectSame(balance, this.granted.minus(this.drawn).minus(expired));
    if (expired.isZero()) expectSame(balance, this.granted.minus(this.drawn));

    expectSame(sum(this.windows.map((w) => w.drawn)), this.drawn);
    expectSame(sum(this.ledger.map((d) => d.amount)), this.drawn);
    this.windows.forEach((w, i) => {
      const where = `window ${w.start.toISOString().slice(0, 7)}`;
      expectSame(sum(this.ledger.filter((d) => d.window === i).map((d) => d.amount)), w.drawn);
      expectAtMost(w.drawn.plus(w.billedUncovered), w.priced, `${where}: drawn + billedUncovered > priced`);
      expectAtMost(w.applied, w.drawn, `${where}: applied > drawn`);
      expectSame(w.applied.plus(w.billedUncovered), w.billed);
      expectAtMost(w.billed, w.priced, `${where}: billed more than priced`);
      // Once all its usage is billed, everything the window drew was applied on an invoice.
      if (w.billed.equals(w.priced)) expectSame(w.applied, w.drawn);
      // A window still owes something only when the credits ran out at its last fold, and no grant came since.
      const owed = w.priced.minus(w.drawn).minus(w.billedUncovered);
      const toDraw = {
        priced: text(w.priced),
        drawn: text(w.drawn),
        billedUncovered: text(w.billedUncovered),
      };
      expectSame(amountToDraw(toDraw), owed);
      if (owed.greaterThan(0) && !w.grantAddedSinceFold) expectSame(balance, ZERO);
    });
  }

  /** Bills every window to the end: then each priced amount was paid by credits or charged, once. */
  settle(): void {
    this.windows.forEach((w, i) => {
      this.replay(i);
      this.invoice(i);
      this.checkInvariants();
      expectSame(w.billed, w.priced);
      expectSame(w.applied, w.drawn);
      expectSame(w.applied.plus(w.billedUncovered), w.priced);
      // And nothing more is drawn for it, even from credits granted afterwards.
      expect(
        amountToDraw({
          priced: text(w.priced),
          drawn: text(w.drawn),
          billedUncovered: text(w.billedUncovered),
        }),
      ).toBe('0');
    });
  }
}

describe('the credits ledger, step by step', () => {
  it('the product example: 5.00 then 7.00 drawn from 10.00, 2.00 charged, replays draw nothing', () => {
    const payer = new PayerModel();
    payer.addGrant(1000, 0, null);
    expectSame(payer.addUsage(1, 500), '5');
    expectSame(payer.addUsage(1, 700), '5');
    payer.checkInvariants();
    expectSame(balanceOf(payer.grants, payer.now), '0');
    expectSame(payer.replay(1), '0');

    expect(payer.invoice(1)).toEqual({ share: '12', applied: '10', uncovered: '2' });
    payer.checkInvariants();

    // Credits granted after the invoice never pay for what it already charged.
    payer.addGrant(500, 0, null);
    expectSame(payer.replay(1), '0');
    expectSame(balanceOf(payer.grants, payer.now), '5');

    // New usage draws from them, and the next invoice applies it.
    expectSame(payer.addUsage(1, 300), '3');
    expect(payer.invoice(1)).toEqual({ share: '3', applied: '3', uncovered: '0' });
    payer.checkInvariants();
    expectSame(balanceOf(payer.grants, payer.now), '2');
  });

  it('a grant added before the invoice pays for usage the earlier fold left uncovered', () => {
    const payer = new PayerModel();
    expectSame(payer.addUsage(0, 800), '0');
    payer.addGrant(500, 0, null);
    expectSame(payer.replay(0), '5');
    expect(payer.invoice(0)).toEqual({ share: '8', applied: '5', uncovered: '3' });
    payer.checkInvariants();
  });

  it('an expired grant leaves the balance but not the books', () => {
    const payer = new PayerModel();
    payer.addGrant(1000, 1, 2 * DAY_MS);
    payer.addGrant(400, 0, null);
    expectSame(payer.addUsage(0, 300), '3');
    // The expiring grant (higher priority) paid first.
    expect(payer.grants.map((g) => g.remaining)).toEqual(['7', '4']);
    payer.advance(2 * DAY_MS);
    payer.checkInvariants();
    expectSame(balanceOf(payer.grants, payer.now), '4');
    expectSame(payer.addUsage(2, 600), '4');
    expect(payer.invoice(2)).toEqual({ share: '6', applied: '4', uncovered: '2' });
    payer.checkInvariants();
  });

  it('keeps the windows of December and January apart', () => {
    const payer = new PayerModel();
    expect(payer.windows.map((w) => w.start.toISOString())).toEqual([
      '2025-12-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
    expect(payer.windows.map((w) => creditWindowStart(w.start).getTime())).toEqual(
      payer.windows.map((w) => w.start.getTime()),
    );
    payer.addGrant(1000, 0, null);
    payer.addUsage(0, 600);
    payer.addUsage(1, 600);
    expect(payer.invoice(0)).toEqual({ share: '6', applied: '6', uncovered: '0' });
    expect(payer.invoice(1)).toEqual({ share: '6', applied: '4', uncovered: '2' });
    payer.settle();
  });
});

type Op =
  | { kind: 'grant'; cents: number; priority: number; expiresInMs: number | null }
  | { kind: 'usage'; window: number; cents: number }
  | { kind: 'invoice'; window: number }
  | { kind: 'replay'; window: number }
  | { kind: 'advance'; ms: number };

const window$ = fc.integer({ min: 0, max: WINDOWS.length - 1 });
const op$: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('grant' as const),
      cents: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 })),
      priority: fc.integer({ min: 0, max: 3 }),
      expiresInMs: fc.option(fc.integer({ min: 1, max: 60 * DAY_MS }), { nil: null }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('usage' as const),
      window: window$,
      cents: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3_000 })),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant('invoice' as const), window: window$ }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('replay' as const), window: window$ }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 20 * DAY_MS })),
    }),
    weight: 2,
  },
);

function run(ops: readonly Op[]): PayerModel {
  const payer = new PayerModel();
  for (const op of ops) {
    switch (op.kind) {
      case 'grant':
        payer.addGrant(op.cents, op.priority, op.expiresInMs);
        break;
      case 'usage':
        payer.addUsage(op.window, op.cents);
        break;
      case 'invoice':
        payer.invoice(op.window);
        break;
      case 'replay':
        payer.replay(op.window);
        break;
      case 'advance':
        payer.advance(op.ms);
        break;
    }
    payer.checkInvariants();
  }
  return payer;
}

describe('the credits ledger over random operations', () => {
  const ops$ = fc.array(op$, { minLength: 1, maxLength: 60 });

  it('keeps every invariant after every operation, and settles every window exactly once', () => {
    fc.assert(
      fc.property(ops$, (ops) => {
        run(ops).settle();
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('without expiries, the balance is exactly what was granted less what was drawn', () => {
    const noExpiry$ = op$.map((op) => (op.kind === 'grant' ? { ...op, expiresInMs: null } : op));
    fc.assert(
      fc.property(fc.array(noExpiry$, { minLength: 1, maxLength: 60 }), (ops) => {
        const payer = run(ops);
        expectSame(balanceOf(payer.grants, payer.now), payer.granted.minus(payer.drawn));
        expectAtMost(payer.drawn, sum(payer.windows.map((w) => w.priced)), 'drew more than was priced');
      }),
      { numRuns: NUM_RUNS / 2 },
    );
  });
});
