import fc from 'fast-check';
import { cents, centsText } from '../../../test/support/cents.js';
import { settleWithBalance } from './invoice-balance.js';

const cents$ = (min: number, max: number) => fc.bigInt({ min: BigInt(min), max: BigInt(max) });

describe('settleWithBalance', () => {
  it.each<[string, string, string, boolean, string | null, string | null]>([
    ['a negative invoice carries its amount to the balance', '-7.00', '0', true, 'balance_carried', '7.00'],
    [
      'a negative invoice carries also when the balance has some',
      '-0.5',
      '3',
      true,
      'balance_carried',
      '0.50',
    ],
    [
      'a positive invoice takes the whole balance when it is smaller',
      '10',
      '4',
      true,
      'balance_applied',
      '-4.00',
    ],
    [
      'a positive invoice takes only its amount when the balance is larger',
      '2.50',
      '4',
      true,
      'balance_applied',
      '-2.50',
    ],
    ['no balance: nothing', '10', '0', true, null, null],
    ['a zero invoice uses nothing', '0', '4', true, null, null],
    ['a credit purchase never uses the balance', '10', '4', false, null, null],
  ])('%s', (_name, subtotal, balance, usesBalance, kind, amount) => {
    const { line, entry } = settleWithBalance({ subtotal, balance, currency: 'usd', usesBalance });
    expect(line?.kind ?? null).toBe(kind);
    expect(line?.amount ?? null).toBe(amount);
    expect(entry?.amount ?? null).toBe(amount);
  });

  it('writes the currency minor digits (jpy has none)', () => {
    expect(
      settleWithBalance({ subtotal: '-700', balance: '0', currency: 'jpy', usesBalance: true }).line?.amount,
    ).toBe('700');
  });

  it('never leaves a negative total or a negative balance, and moves the balance by the line', () => {
    fc.assert(
      fc.property(
        cents$(-100_000, 100_000),
        cents$(0, 100_000),
        fc.boolean(),
        (subtotal, balance, usesBalance) => {
          const { line, entry } = settleWithBalance({
            subtotal: centsText(subtotal),
            balance: centsText(balance),
            currency: 'usd',
            usesBalance,
          });
          const moved = line ? cents(line.amount) : 0n;
          expect(entry ? cents(entry.amount) : 0n).toBe(moved);
          expect(subtotal + moved).toBeGreaterThanOrEqual(0n);
          expect(balance + moved).toBeGreaterThanOrEqual(0n);
          // It uses as much as it can: a positive invoice is left to charge only what the balance did not cover.
          if (usesBalance && subtotal > 0n)
            expect(subtotal + moved).toBe(subtotal > balance ? subtotal - balance : 0n);
          if (subtotal < 0n) expect(subtotal + moved).toBe(0n);
        },
      ),
      { numRuns: 300 },
    );
  });
});
