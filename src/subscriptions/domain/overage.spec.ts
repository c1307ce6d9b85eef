import fc from 'fast-check';
import { minorUnitDigits } from '../../common/money/currency.js';
import { decimalText, ExactDecimal } from '../../common/money/decimal.js';
import { perUnit, priceFromJson, type Price, type PriceJson } from '../../metering/domain/price.js';
import { rate } from '../../metering/domain/rating.js';
import {
  correctionLines,
  isOver,
  itemPrice,
  minimumTrueUp,
  trueUpChange,
  overageLines,
  overageQuantity,
  type ItemUsage,
  type OverageLine,
} from './overage.js';
import {
  graduated,
  volume,
  pack,
  type TierSpec,
  priceTiers$,
  priceBounds$,
  decimal$,
} from '../../../test/support/prices.js';

function item(overrides: Partial<ItemUsage> = {}): ItemUsage {
  return {
    metricId: 'bm_1',
    name: 'API calls',
    includedQuantity: '100',
    price: perUnit('0.05'),
    used: '120',
    billedUsage: '0',
    billedAmount: '0',
    ...overrides,
  };
}

/** The allotment example: 0–1,000 at 0.002, then 0.001. */
const ALLOTMENT: TierSpec[] = [
  ['1000', '0.002'],
  [null, '0.001'],
];

/** A breakdown row of an overage line. */
const row = (
  from: string,
  to: string | null,
  quantity: string,
  unitAmount: string,
  amount: string,
  flatAmount = '0',
) => ({ from, to, quantity, unitAmount, flatAmount, amount });

/**
 * A period billed at each usage in `steps` ("bill now", then the period end), recording what
 * each bill charged as the subscription period does: the usage and the running amount of every
 * line.
 */
function billSteps(base: Partial<ItemUsage>, steps: readonly string[], currency = 'usd') {
  let billedUsage = '0';
  let billedAmount = new ExactDecimal(0);
  const bills: OverageLine[][] = [];
  for (const used of steps) {
    const lines = overageLines(
      [item({ ...base, used, billedUsage, billedAmount: decimalText(billedAmount) })],
      currency,
    );
    for (const line of lines) {
      billedAmount = billedAmount.plus(line.amount);
      billedUsage = used;
    }
    bills.push(lines);
  }
  return { bills, billedUsage, billedAmount };
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

describe('overageLines, per unit', () => {
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
    const [line] = overageLines([item({ used, price: perUnit(unitAmount) })], currency);
    expect(line).toEqual({
      metricId: 'bm_1',
      description: 'API calls overage (above 100 included)',
      quantity,
      unitAmount,
      amount,
      tiers: [
        row('0', null, quantity, unitAmount, decimalText(new ExactDecimal(quantity).times(unitAmount))),
      ],
    });
  });

  it('gives one line per item with overage, in item order, skipping the others', () => {
    const lines = overageLines(
      [
        item({ metricId: 'bm_under', used: '50' }),
        item({ metricId: 'bm_a', used: '130', price: perUnit('0.1') }),
        item({ metricId: 'bm_exact', used: '100' }),
        item({ metricId: 'bm_b', includedQuantity: '0', used: '3', price: perUnit('2') }),
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
    const [line] = overageLines([item({ used: '120', billedUsage: '115', billedAmount: '0.75' })], 'usd');
    expect(line).toMatchObject({
      quantity: '5',
      amount: '0.25',
      tiers: [row('0', null, '5', '0.05', '0.25')],
    });
  });

  it('subtracts decimal amounts already billed exactly', () => {
    // 0.1 over billed 0.005 as 0.01; 0.3 over costs 0.015, 0.02: the period rounds once.
    const [line] = overageLines([item({ used: '100.3', billedUsage: '100.1', billedAmount: '0.01' })], 'usd');
    expect(line).toMatchObject({ quantity: '0.2', amount: '0.01' });
  });

  it('subtracts the amount billed, not the price of the usage billed', () => {
    // The earlier bill charged 0.50 for 10 over (at an earlier price): now 20 over cost 1.00.
    const [line] = overageLines([item({ used: '120', billedUsage: '110', billedAmount: '0.5' })], 'usd');
    expect(line).toMatchObject({ quantity: '10', amount: '0.50' });
    const [again] = overageLines([item({ used: '120', billedUsage: '110', billedAmount: '0.8' })], 'usd');
    expect(again).toMatchObject({ quantity: '10', amount: '0.20' });
  });

  it.each([
    ['the overage was fully billed', '120', '120', '1.00'],
    ['more than the overage was billed', '120', '125', '1.25'],
    ['usage fell back under the allotment after a bill', '90', '105', '0.25'],
    ['usage fell back, still over the allotment', '110', '120', '1.00'],
    ['there is no overage yet', '100', '0', '0'],
  ])('gives no line (never a negative one) when %s', (_name, used, billedUsage, billedAmount) => {
    expect(overageLines([item({ used, billedUsage, billedAmount })], 'usd')).toEqual([]);
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

  it('caps the period at the price maximum', () => {
    const price: Price = { ...perUnit('0.05'), maximumAmount: '1.5' };
    const { bills } = billSteps({ price }, ['120', '200', '300']);
    expect(bills.map((lines) => lines.map(({ quantity, amount }) => ({ quantity, amount })))).toEqual([
      [{ quantity: '20', amount: '1.00' }],
      [{ quantity: '80', amount: '0.50' }],
      [{ quantity: '100', amount: '0.00' }],
    ]);
  });
});

describe('overageLines, tiered and package prices', () => {
  it('1,500 used with 1,000 included on graduated tiers: 500 at 0.001', () => {
    const [line] = overageLines(
      [item({ includedQuantity: '1000', used: '1500', price: graduated(ALLOTMENT) })],
      'usd',
    );
    expect(line).toEqual({
      metricId: 'bm_1',
      description: 'API calls overage (above 1000 included)',
      quantity: '500',
      unitAmount: null,
      amount: '0.50',
      tiers: [row('1000', null, '500', '0.001', '0.5')],
    });
  });

  it('a bill now at 1,200 then the period end at 1,500 bill 0.20 then 0.30', () => {
    const { bills, billedAmount } = billSteps({ includedQuantity: '1000', price: graduated(ALLOTMENT) }, [
      '1200',
      '1500',
    ]);
    expect(bills).toEqual([
      [
        expect.objectContaining({
          quantity: '200',
          amount: '0.20',
          tiers: [row('1000', null, '200', '0.001', '0.2')],
        }),
      ],
      [
        expect.objectContaining({
          quantity: '300',
          amount: '0.30',
          tiers: [row('1000', null, '300', '0.001', '0.3')],
        }),
      ],
    ]);
    expect(billedAmount.toFixed(2)).toBe(rate('1500', graduated(ALLOTMENT), 'usd', '1000'));
  });

  it('an allotment ending inside a tier: the rest of that tier, then the next', () => {
    const { bills } = billSteps({ includedQuantity: '500', price: graduated(ALLOTMENT) }, ['800', '1200']);
    expect(bills).toEqual([
      [
        expect.objectContaining({
          quantity: '300',
          amount: '0.60',
          tiers: [row('0', '1000', '300', '0.002', '0.6')],
        }),
      ],
      [
        expect.objectContaining({
          quantity: '400',
          amount: '0.60',
          tiers: [row('0', '1000', '200', '0.002', '0.4'), row('1000', null, '200', '0.001', '0.2')],
        }),
      ],
    ]);
  });

  it('a graduated flat amount is billed once, with the first unit of its tier', () => {
    const price = graduated([
      ['10', '1', '5'],
      [null, '0.5', '20'],
    ]);
    const { bills } = billSteps({ includedQuantity: '5', price }, ['6', '9', '12']);
    expect(bills.map((lines) => lines.map(({ amount }) => amount))).toEqual([['6.00'], ['3.00'], ['22.00']]);
  });

  it('a line minimum is billed with the first overage', () => {
    const [line] = overageLines(
      [item({ includedQuantity: '1000', used: '1001', price: graduated(ALLOTMENT, { minimumAmount: '5' }) })],
      'usd',
    );
    expect(line).toMatchObject({
      quantity: '1',
      amount: '5.00',
      tiers: [row('1000', null, '1', '0.001', '0.001')],
    });
  });

  it('volume: every overage unit at the tier the whole usage reached', () => {
    const price = volume(ALLOTMENT);
    const [line] = overageLines([item({ includedQuantity: '500', used: '900', price })], 'usd');
    expect(line).toMatchObject({
      quantity: '400',
      unitAmount: null,
      amount: '0.80',
      tiers: [row('0', '1000', '400', '0.002', '0.8')],
    });
    // A bill now at 900, then the period end at 1,500: 1,000 at 0.001 in all.
    const { bills } = billSteps({ includedQuantity: '500', price }, ['900', '1500']);
    expect(bills[1]).toEqual([
      expect.objectContaining({
        quantity: '600',
        amount: '0.20',
        tiers: [row('0', '1000', '-400', '0.002', '-0.8'), row('1000', null, '1000', '0.001', '1')],
      }),
    ]);
  });

  it('volume: no line when the period now costs less than was billed; later bills count from what was', () => {
    const price = volume(ALLOTMENT);
    const { bills, billedUsage, billedAmount } = billSteps({ includedQuantity: '500', price }, [
      '1000',
      '1100',
      '1800',
    ]);
    // 500 at 0.002 = 1.00; 600 at 0.001 = 0.60 (less: nothing); 1,300 at 0.001 = 1.30.
    expect(bills.map((lines) => lines.map(({ quantity, amount }) => ({ quantity, amount })))).toEqual([
      [{ quantity: '500', amount: '1.00' }],
      [],
      [{ quantity: '800', amount: '0.30' }],
    ]);
    expect(billedUsage).toBe('1800');
    expect(billedAmount.toFixed(2)).toBe(rate('1800', price, 'usd', '500'));
  });

  it('package: whole packages of the overage, a partial one counted up', () => {
    const { bills } = billSteps({ includedQuantity: '50', price: pack('100', '10') }, ['120', '180', '260']);
    expect(
      bills.map((lines) => lines.map(({ quantity, amount, tiers }) => ({ quantity, amount, tiers }))),
    ).toEqual([
      [{ quantity: '70', amount: '10.00', tiers: [row('0', null, '1', '10', '10')] }],
      [{ quantity: '60', amount: '10.00', tiers: [row('0', null, '1', '10', '10')] }],
      [{ quantity: '80', amount: '10.00', tiers: [row('0', null, '1', '10', '10')] }],
    ]);
  });

  it('package rounding down: a package is billed once the overage completes it', () => {
    const { bills } = billSteps({ includedQuantity: '50', price: pack('100', '10', 'down') }, [
      '120',
      '180',
      '260',
    ]);
    expect(bills.map((lines) => lines.map(({ quantity, amount }) => ({ quantity, amount })))).toEqual([
      [{ quantity: '70', amount: '0.00' }],
      [{ quantity: '60', amount: '10.00' }],
      [{ quantity: '80', amount: '10.00' }],
    ]);
  });

  it('package in jpy', () => {
    const [line] = overageLines(
      [item({ includedQuantity: '0', used: '2500', price: pack('1000', '150') })],
      'jpy',
    );
    expect(line).toMatchObject({ quantity: '2500', unitAmount: null, amount: '450' });
  });
});

describe('itemPrice', () => {
  const metricPrice = graduated(ALLOTMENT);
  const json: PriceJson = {
    model: 'package',
    package_size: '100',
    package_amount: '10',
    rounding: 'down',
    minimum_amount: '5',
    maximum_amount: null,
  };

  it("is the item's price", () => {
    expect(itemPrice({ price: json, unitAmount: null }, metricPrice)).toEqual({
      model: 'package',
      packageSize: '100',
      packageAmount: '10',
      rounding: 'down',
      minimumAmount: '5',
      maximumAmount: null,
    });
    expect(itemPrice({ price: json, unitAmount: '0.05' }, metricPrice)).toEqual(priceFromJson(json));
  });

  it('is a per-unit price of an item of old (a unit amount and no price)', () => {
    expect(itemPrice({ unitAmount: '0.05' }, metricPrice)).toEqual(perUnit('0.05'));
    expect(itemPrice({ price: null, unitAmount: '0.05' }, metricPrice)).toEqual(perUnit('0.05'));
  });

  it("is the metric's price for an item without one", () => {
    expect(itemPrice({ unitAmount: null }, metricPrice)).toBe(metricPrice);
    expect(itemPrice({ price: null, unitAmount: null }, metricPrice)).toBe(metricPrice);
  });
});

describe('minimumTrueUp', () => {
  it.each<[string | null, string, string | null]>([
    ['100.00', '37.50', '62.5'],
    ['100', '0', '100'],
    ['10', '9.99', '0.01'],
    ['100', '100', null],
    ['100.00', '100', null],
    ['100', '150.25', null],
    ['0', '0', null],
    [null, '0', null],
    [null, '37.50', null],
  ])('a minimum of %s with %s billed → %s', (minimum, billed, expected) => {
    expect(minimumTrueUp(minimum, billed)).toBe(expected);
  });
});

describe('correctionLines (a closed period whose events were corrected)', () => {
  it('bills a correction down as a negative line: 150 billed (2.50 at 0.05 above 100), corrected to 120 (1.00) → 1.50 back', () => {
    const [line] = correctionLines([item({ used: '120', billedUsage: '150', billedAmount: '2.50' })], 'usd');
    expect(line).toMatchObject({ metricId: 'bm_1', quantity: '-30', amount: '-1.50' });
  });

  it('bills a correction up as a positive line, priced over the whole period', () => {
    const [line] = correctionLines([item({ used: '180', billedUsage: '150', billedAmount: '2.50' })], 'usd');
    expect(line).toMatchObject({ quantity: '30', amount: '1.50' });
  });

  it('gives no line when the amount does not move (a change within the allotment)', () => {
    expect(correctionLines([item({ used: '40', billedUsage: '90', billedAmount: '0' })], 'usd')).toEqual([]);
  });

  it('takes a volume price back across its cliff exactly', () => {
    const price = volume([
      ['100', '1'],
      [null, '0.5'],
    ]);
    // 150 above an allotment of 0 billed at the volume tier: 75.00; corrected to 90: 90.00.
    const [line] = correctionLines(
      [item({ includedQuantity: '0', price, used: '90', billedUsage: '150', billedAmount: '75.00' })],
      'usd',
    );
    expect(line?.amount).toBe('15.00');
  });

  it('brings what a period was billed to the price of its corrected usage, whatever was billed before', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        (billedUsage, used) => {
          const billed = overageLines([item({ used: String(billedUsage) })], 'usd')[0]?.amount ?? '0';
          const [line] = correctionLines(
            [item({ used: String(used), billedUsage: String(billedUsage), billedAmount: billed })],
            'usd',
          );
          const atOnce = overageLines([item({ used: String(used) })], 'usd')[0]?.amount ?? '0';
          expect(decimalText(new ExactDecimal(billed).plus(line?.amount ?? '0'))).toBe(
            decimalText(new ExactDecimal(atOnce)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('trueUpChange', () => {
  it.each<[string | null, string, string, string | null]>([
    ['100', '80', '60', '20'],
    ['100', '60', '80', '-20'],
    ['100', '120', '90', '10'],
    ['100', '90', '130', '-10'],
    ['100', '150', '120', null],
    ['100', '80', '80', null],
    [null, '80', '60', null],
  ])('a minimum of %s, usage lines %s → %s: the true-up moves by %s', (minimum, before, after, expected) => {
    expect(trueUpChange(minimum, before, after)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** A tier boundary step or a package size: a few units, or a decimal up to 5,000. */
const step$ = fc.oneof(fc.integer({ min: 1, max: 6 }).map(String), decimal$(500_000n, 2, 1n));
const tiers$ = priceTiers$(step$);
const bounds$ = priceBounds$;
const graduated$: fc.Arbitrary<Price> = fc
  .tuple(tiers$, bounds$)
  .map(([tiers, bounds]) => ({ model: 'graduated', tiers, ...bounds }));
const volume$: fc.Arbitrary<Price> = fc
  .tuple(tiers$, bounds$)
  .map(([tiers, bounds]) => ({ model: 'volume', tiers, ...bounds }));
const package$: fc.Arbitrary<Price> = fc
  .tuple(step$, decimal$(10n ** 5n, 2), fc.constantFrom<'up' | 'down'>('up', 'down'), bounds$)
  .map(([packageSize, packageAmount, rounding, bounds]) => ({
    model: 'package',
    packageSize,
    packageAmount,
    rounding,
    ...bounds,
  }));
const perUnit$: fc.Arbitrary<Price> = fc
  .tuple(decimal$(10n ** 6n, 6), bounds$)
  .map(([unitAmount, bounds]) => ({ ...perUnit(unitAmount), ...bounds }));

/** Usage growing over a period: each step's usage (the running sum of increments), the last the period end. */
const steps$ = fc.array(decimal$(10n ** 6n, 3), { minLength: 1, maxLength: 8 }).map((increments) => {
  let used = new ExactDecimal(0);
  return increments.map((increment) => decimalText((used = used.plus(increment))));
});
/** Some of the steps are "bill now"; the last (the period end) always bills. */
const cutSteps$ = steps$.chain((steps) =>
  fc
    .array(fc.boolean(), { minLength: steps.length, maxLength: steps.length })
    .map((cuts) => steps.filter((_, index) => cuts[index] || index === steps.length - 1)),
);
const currency$ = fc.constantFrom('usd', 'jpy', 'kwd');
const amountPattern = (currency: string) => {
  const digits = minorUnitDigits(currency);
  return digits === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${digits}}$`);
};

describe('overage properties', () => {
  it('any bill-now cut points bill in total exactly the price of the final usage, less the allotment', () => {
    fc.assert(
      fc.property(
        decimal$(10n ** 6n, 3),
        cutSteps$,
        fc.oneof(graduated$, package$, perUnit$),
        currency$,
        (includedQuantity, steps, price, currency) => {
          const { bills, billedUsage, billedAmount } = billSteps(
            { includedQuantity, price },
            steps,
            currency,
          );
          const finalUsed = steps[steps.length - 1];
          let quantity = new ExactDecimal(0);
          for (const lines of bills) {
            expect(lines.length).toBeLessThanOrEqual(1);
            for (const line of lines) {
              expect(line.amount).toMatch(amountPattern(currency));
              expect(new ExactDecimal(line.quantity).greaterThan(0)).toBe(true);
              quantity = quantity.plus(line.quantity);
            }
          }
          expect(billedAmount.toFixed(minorUnitDigits(currency))).toBe(
            rate(finalUsed, price, currency, includedQuantity),
          );
          expect(quantity.eq(overageQuantity(finalUsed, includedQuantity))).toBe(true);
          // Nothing is left to bill afterwards.
          expect(
            overageLines(
              [
                item({
                  includedQuantity,
                  price,
                  used: finalUsed,
                  billedUsage,
                  billedAmount: decimalText(billedAmount),
                }),
              ],
              currency,
            ),
          ).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a volume price never bills a negative line, nor less in total than the final usage costs', () => {
    fc.assert(
      fc.property(
        decimal$(10n ** 6n, 3),
        cutSteps$,
        volume$,
        currency$,
        (includedQuantity, steps, price, currency) => {
          const { bills, billedAmount } = billSteps({ includedQuantity, price }, steps, currency);
          for (const line of bills.flat()) expect(line.amount).toMatch(amountPattern(currency));
          const final = new ExactDecimal(rate(steps[steps.length - 1], price, currency, includedQuantity));
          expect(billedAmount.gte(final)).toBe(true);
          // Less than that only when the last bill gave no line.
          if (!billedAmount.eq(final)) expect(bills[bills.length - 1]).toEqual([]);
        },
      ),
      { numRuns: 200 },
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

  it('the minimum true-up brings the period to its minimum, never below what was billed', () => {
    fc.assert(
      fc.property(
        fc.option(decimal$(10n ** 8n, 2), { nil: null }),
        decimal$(10n ** 8n, 2),
        (minimum, billed) => {
          const trueUp = minimumTrueUp(minimum, billed);
          if (minimum === null || !new ExactDecimal(minimum).greaterThan(billed)) expect(trueUp).toBeNull();
          else expect(new ExactDecimal(trueUp!).plus(billed).eq(minimum)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
