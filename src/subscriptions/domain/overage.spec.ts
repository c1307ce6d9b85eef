import fc from 'fast-check';
import { ExactDecimal } from '../../common/money/decimal.js';
import { isOver, overageLines, overageQuantity, type ItemUsage } from './overage.js';

function item(overrides: Partial<ItemUsage> = {}): ItemUsage {
  return {
    metricId: 'bm_1',
    name: 'API calls',
    includedQuantity: '100',
    unitAmount: '0.05',
    used: '120',
    alreadyBilled: '0',
    ...overrides,
  };
}

describe('overageQuantity', () => {
  it.each([
    ['120', '100', '20'],
    ['100', '100', '0'],
    ['50', '100', '0'],
    ['0', '0', '0'],
    ['0.5', '0', '0.5'],
    ['100.1', '100', '0.1'],
    ['0.3', '0.1', '0.2'],
    ['100.000000000000000001', '100', '0.000000000000000001'],
    [`${'9'.repeat(30)}.5`, '0.25', `${'9'.repeat(30)}.25`],
    ['120.50', '100.00', '20.5'],
  ])('%s used, %s included → %s', (used, included, expected) => {
    expect(overageQuantity(used, included)).toBe(expected);
  });
});

describe('isOver', () => {
  it.each([
    ['120', '100', true],
    ['100.000000000000000001', '100', true],
    ['100', '100', false],
    ['100.0', '100', false],
    ['99.999', '100', false],
    ['0', '0', false],
    ['0.001', '0', true],
  ])('%s used, %s included → %s', (used, included, expected) => {
    expect(isOver(used, included)).toBe(expected);
  });
});

describe('overageLines', () => {
  it.each([
    {
      name: '20 over at 0.05 usd',
      used: '120',
      unitAmount: '0.05',
      currency: 'usd',
      quantity: '20',
      amount: '1.00',
    },
    {
      name: '7 over at 0.125 usd',
      used: '107',
      unitAmount: '0.125',
      currency: 'usd',
      quantity: '7',
      amount: '0.88',
    },
    // 0.025 rounds half-up to 0.03 (half-even would give 0.02).
    {
      name: '5 over at 0.005 usd',
      used: '105',
      unitAmount: '0.005',
      currency: 'usd',
      quantity: '5',
      amount: '0.03',
    },
    {
      name: '5 over at 0.0049 usd',
      used: '105',
      unitAmount: '0.0049',
      currency: 'usd',
      quantity: '5',
      amount: '0.02',
    },
    {
      name: '0.1 over at 0.25 usd',
      used: '100.1',
      unitAmount: '0.25',
      currency: 'usd',
      quantity: '0.1',
      amount: '0.03',
    },
    {
      name: '20 over at 1.5 jpy',
      used: '120',
      unitAmount: '1.5',
      currency: 'jpy',
      quantity: '20',
      amount: '30',
    },
    // 2.5 yen rounds half-up to 3 (half-even would give 2).
    {
      name: '5 over at 0.5 jpy',
      used: '105',
      unitAmount: '0.5',
      currency: 'jpy',
      quantity: '5',
      amount: '3',
    },
    {
      name: '3 over at 0.1235 kwd',
      used: '103',
      unitAmount: '0.1235',
      currency: 'kwd',
      quantity: '3',
      amount: '0.371',
    },
  ])('$name → $quantity × $unitAmount = $amount', ({ used, unitAmount, currency, quantity, amount }) => {
    const [line] = overageLines([item({ used, unitAmount })], currency);
    expect(line).toMatchObject({ metricId: 'bm_1', quantity, unitAmount, amount });
  });

  it('gives one line per item with overage, in item order, skipping the others', () => {
    const lines = overageLines(
      [
        item({ metricId: 'bm_under', used: '50' }),
        item({ metricId: 'bm_a', used: '130', unitAmount: '0.1' }),
        item({ metricId: 'bm_exact', used: '100' }),
        item({ metricId: 'bm_b', includedQuantity: '0', used: '3', unitAmount: '2' }),
      ],
      'usd',
    );
    expect(lines.map(({ metricId, quantity, amount }) => ({ metricId, quantity, amount }))).toEqual([
      { metricId: 'bm_a', quantity: '30', amount: '3.00' },
      { metricId: 'bm_b', quantity: '3', amount: '6.00' },
    ]);
  });

  it('gives no lines for no items', () => {
    expect(overageLines([], 'usd')).toEqual([]);
  });

  it('subtracts the overage already billed', () => {
    const [line] = overageLines([item({ used: '120', alreadyBilled: '15' })], 'usd');
    expect(line).toMatchObject({ quantity: '5', amount: '0.25' });
  });

  it('subtracts decimal amounts already billed exactly', () => {
    const [line] = overageLines([item({ used: '100.3', alreadyBilled: '0.1' })], 'usd');
    expect(line.quantity).toBe('0.2');
  });

  it.each([
    ['the overage was fully billed', '120', '20'],
    ['more than the overage was billed', '120', '25'],
    ['usage fell back under the allotment after a bill', '90', '5'],
  ])('gives no line (never a negative one) when %s', (_name, used, alreadyBilled) => {
    expect(overageLines([item({ used, alreadyBilled })], 'usd')).toEqual([]);
  });

  it('describes the item and its included quantity', () => {
    const [line] = overageLines(
      [item({ name: 'Storage GB', includedQuantity: '2500.50', used: '2600' })],
      'usd',
    );
    expect(line.description).toContain('Storage GB');
    expect(line.description).toMatch(/\b2500\.5\b/);
    expect(line.quantity).toBe('99.5');
    const [other] = overageLines([item({ includedQuantity: '100', used: '120' })], 'usd');
    expect(other.description).toContain('API calls');
    expect(other.description).toMatch(/(?<![\d.])100(?![\d.])/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** Non-negative decimal text with up to `maxScale` fraction digits. */
const decimal$ = (maxUnits: bigint, maxScale: number) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: maxUnits }), fc.integer({ min: 0, max: maxScale }))
    .map(([units, scale]) =>
      new ExactDecimal(units.toString()).div(new ExactDecimal(10).pow(scale)).toFixed(),
    );

describe('overage properties', () => {
  it('billing in several "bill now" steps bills in total exactly the final overage', () => {
    fc.assert(
      fc.property(
        decimal$(10n ** 9n, 6),
        // Usage growth between steps; the running sum is the usage seen at each step.
        fc.array(decimal$(10n ** 9n, 6), { minLength: 1, maxLength: 8 }),
        decimal$(10n ** 6n, 6),
        fc.constantFrom('usd', 'jpy', 'kwd'),
        (includedQuantity, increments, unitAmount, currency) => {
          let used = new ExactDecimal(0);
          let billed = new ExactDecimal(0);
          for (const increment of increments) {
            used = used.plus(increment);
            const lines = overageLines(
              [item({ includedQuantity, unitAmount, used: used.toFixed(), alreadyBilled: billed.toFixed() })],
              currency,
            );
            expect(lines.length).toBeLessThanOrEqual(1);
            for (const line of lines) {
              expect(new ExactDecimal(line.quantity).isPositive()).toBe(true);
              expect(new ExactDecimal(line.quantity).isZero()).toBe(false);
              billed = billed.plus(line.quantity);
            }
          }
          expect(billed.eq(overageQuantity(used.toFixed(), includedQuantity))).toBe(true);
          // Nothing is left to bill afterwards.
          expect(
            overageLines(
              [item({ includedQuantity, unitAmount, used: used.toFixed(), alreadyBilled: billed.toFixed() })],
              currency,
            ),
          ).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the overage is exactly used − included when positive, else 0', () => {
    fc.assert(
      fc.property(decimal$(10n ** 24n, 18), decimal$(10n ** 24n, 18), (used, included) => {
        const over = new ExactDecimal(overageQuantity(used, included));
        expect(over.isNegative()).toBe(false);
        expect(isOver(used, included)).toBe(!over.isZero());
        if (!over.isZero()) expect(over.plus(included).eq(used)).toBe(true);
        else expect(new ExactDecimal(used).lte(included)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
