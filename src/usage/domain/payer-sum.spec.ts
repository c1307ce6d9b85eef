import fc from 'fast-check';
import { ExactDecimal } from '../../common/money/decimal.js';
import { sumPayerUsage, type PayerUsage } from './payer-sum.js';

const periods = [
  { start: '2026-03-01T00:00:00.000Z', end: '2026-03-02T00:00:00.000Z' },
  { start: '2026-03-02T00:00:00.000Z', end: '2026-03-03T00:00:00.000Z' },
];
const none: PayerUsage = {
  quantity: '0',
  amount: '0.00',
  event_count: 0,
  series: periods.map((period) => ({ ...period, quantity: '0', amount: '0.00', event_count: 0 })),
  groups: [],
};
const payer = (
  quantities: [string, string],
  amounts: [string, string],
  groups: [string | null, string, string][] = [],
): PayerUsage => ({
  quantity: new ExactDecimal(quantities[0]).plus(quantities[1]).toFixed(),
  amount: new ExactDecimal(amounts[0]).plus(amounts[1]).toFixed(2),
  event_count: 2,
  series: periods.map((period, index) => ({
    ...period,
    quantity: quantities[index]!,
    amount: amounts[index]!,
    event_count: 1,
  })),
  groups: groups.map(([value, quantity, amount]) => ({ value, quantity, amount, event_count: 1 })),
});

describe('sumPayerUsage', () => {
  it.each<[string, PayerUsage[], Partial<PayerUsage>]>([
    ['no payer: the report of no usage', [], none],
    [
      'one payer: its own report',
      [payer(['1.5', '2'], ['0.15', '0.20'], [['eu', '3.5', '0.35']])],
      payer(['1.5', '2'], ['0.15', '0.20'], [['eu', '3.5', '0.35']]),
    ],
    [
      'two payers: figures, periods and groups of one value add',
      [
        payer(['1.5', '2'], ['0.15', '0.20'], [['eu', '3.5', '0.35']]),
        payer(['0.25', '10'], ['0.03', '1.00'], [['eu', '10.25', '1.03']]),
      ],
      {
        quantity: '13.75',
        amount: '1.38',
        event_count: 4,
        series: [
          { ...periods[0]!, quantity: '1.75', amount: '0.18', event_count: 2 },
          { ...periods[1]!, quantity: '12', amount: '1.20', event_count: 2 },
        ],
        groups: [{ value: 'eu', quantity: '13.75', amount: '1.38', event_count: 2 }],
      },
    ],
    [
      'groups of other values (and none) are kept apart, in order of first appearance',
      [
        payer(['1', '0'], ['1.00', '0.00'], [['us', '1', '1.00']]),
        payer(
          ['2', '3'],
          ['2.00', '3.00'],
          [
            [null, '2', '2.00'],
            ['us', '3', '3.00'],
          ],
        ),
      ],
      {
        groups: [
          { value: 'us', quantity: '4', amount: '4.00', event_count: 2 },
          { value: null, quantity: '2', amount: '2.00', event_count: 1 },
        ],
      },
    ],
    [
      'a corrected payer (negative usage) takes its part off',
      [payer(['5', '5'], ['5.00', '5.00']), payer(['-2', '0'], ['-2.00', '0.00'])],
      { quantity: '8', amount: '8.00' },
    ],
  ])('%s', (_, payers, expected) => {
    expect(sumPayerUsage(none, payers, 2)).toMatchObject(expected);
  });

  it('without series or groups asked, answers none', () => {
    const bare = { quantity: '0', amount: '0', event_count: 0 };
    const total = sumPayerUsage(bare, [{ quantity: '7', amount: '3', event_count: 2 }], 0);
    expect(total).toEqual({ quantity: '7', amount: '3', event_count: 2 });
  });

  it('refuses series of other periods rather than add them up wrong', () => {
    const shifted = payer(['1', '1'], ['1.00', '1.00']);
    shifted.series![1] = { ...shifted.series![1]!, start: '2026-03-02T01:00:00.000Z' };
    expect(() => sumPayerUsage(none, [shifted], 2)).toThrow(/period 1/);
  });

  const decimal$ = fc
    .integer({ min: -100_000, max: 100_000 })
    .map((cents) => new ExactDecimal(cents).div(100));
  const payer$ = fc
    .tuple(
      decimal$,
      decimal$,
      decimal$,
      decimal$,
      fc.array(fc.tuple(fc.constantFrom('eu', 'us', null), decimal$), { maxLength: 3 }),
    )
    .map(([q0, q1, a0, a1, groups]) => {
      const usage = payer([q0.toFixed(), q1.toFixed()], [a0.toFixed(2), a1.toFixed(2)]);
      // A payer's groups have distinct values, as its breakdown has.
      const distinct = new Map(groups.map(([value, amount]) => [value, amount]));
      usage.groups = [...distinct].map(([value, amount]) => ({
        value,
        quantity: amount.toFixed(),
        amount: amount.toFixed(2),
        event_count: 1,
      }));
      return usage;
    });

  const payersInTwoOrders$ = fc
    .array(payer$, { maxLength: 8 })
    .chain((payers) =>
      fc.tuple(
        fc.constant(payers),
        fc.shuffledSubarray(payers, { minLength: payers.length, maxLength: payers.length }),
      ),
    );

  it('is the same in any order of the payers, and its periods add up to its total as each payer’s do', () => {
    fc.assert(
      fc.property(payersInTwoOrders$, ([payers, shuffled]) => {
        const total = sumPayerUsage(none, payers, 2);
        const reordered = sumPayerUsage(none, shuffled, 2);
        const byValue = (usage: PayerUsage) => new Map(usage.groups!.map((group) => [group.value, group]));
        expect({ ...reordered, groups: byValue(reordered) }).toEqual({ ...total, groups: byValue(total) });
        const periodAmounts = total.series!.reduce(
          (sum, period) => sum.plus(period.amount),
          new ExactDecimal(0),
        );
        expect(periodAmounts.toFixed(2)).toBe(total.amount);
        const expected = payers.reduce((sum, one) => sum.plus(one.amount), new ExactDecimal(0));
        expect(total.amount).toBe(expected.toFixed(2));
        expect(total.event_count).toBe(payers.length * 2);
      }),
    );
  });

  it('adding a payer with no usage changes nothing', () => {
    fc.assert(
      fc.property(fc.array(payer$, { maxLength: 5 }), (payers) => {
        expect(sumPayerUsage(none, [...payers, none], 2)).toEqual(sumPayerUsage(none, payers, 2));
      }),
    );
  });
});
