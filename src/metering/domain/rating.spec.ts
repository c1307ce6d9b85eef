import fc from 'fast-check';
import { minorUnitDigits } from '../../common/money/currency.js';
import { decimalText, ExactDecimal } from '../../common/money/decimal.js';
import { roundMoney } from '../../common/money/rounding.js';
import type { PriceBounds, Tier } from './price.js';
import { closedPeriodDifference, type Price, perUnit, priceQuantity, rate } from './rating.js';
import { NO_BOUNDS, graduated, volume, pack, unit, type TierSpec } from '../../../test/support/prices.js';

/** The per-unit price of today, rounded once: what every report, invoice line, draw and overage charges. */
const perUnitRate = (quantity: string, unitAmount: string, currency: string) =>
  rate(quantity, perUnit(unitAmount), currency);

describe('rate, per unit', () => {
  it.each([
    ['42318', '0.001', 'usd', '42.32'],
    ['11', '10', 'usd', '110.00'],
    ['1', '1', 'usd', '1.00'],
    ['0', '0.001', 'usd', '0.00'],
    ['0.005', '1', 'usd', '0.01'],
    ['0.004999', '1', 'usd', '0.00'],
    ['0.015', '1', 'usd', '0.02'],
    ['-0.005', '1', 'usd', '-0.01'],
    ['-0.004', '1', 'usd', '0.00'],
    ['3', '0.333333333333333333', 'usd', '1.00'],
    ['42318', '0.001', 'jpy', '42'],
    ['2.5', '1', 'jpy', '3'],
    ['2.4999', '1', 'jpy', '2'],
    ['1.0005', '1', 'kwd', '1.001'],
    ['1.00049', '1', 'kwd', '1.000'],
    ['123456789012345678901234567890.123456789012345678', '1', 'usd', '123456789012345678901234567890.12'],
    // 44 nines: rounding first to 40 digits would make this 0.005 and then 0.01.
    [`0.00${'4'}${'9'.repeat(44)}`, '1', 'usd', '0.00'],
  ])('%s × %s %s → %s', (quantity, unitAmount, currency, expected) => {
    expect(perUnitRate(quantity, unitAmount, currency)).toBe(expected);
  });

  const decimal$ = (maxUnits: bigint, maxScale: number) =>
    fc
      .tuple(fc.bigInt({ min: -maxUnits, max: maxUnits }), fc.integer({ min: 0, max: maxScale }))
      .map(([units, scale]) => new ExactDecimal(units.toString()).div(10 ** scale).toFixed());

  it('has exactly the minor unit digits and is within half a minor unit of the exact product', () => {
    fc.assert(
      fc.property(
        decimal$(10n ** 24n, 18),
        decimal$(10n ** 12n, 12),
        fc.constantFrom('usd', 'eur', 'jpy', 'krw', 'kwd', 'bhd'),
        (quantity, unitAmount, currency) => {
          const digits = minorUnitDigits(currency);
          const price = perUnitRate(quantity, unitAmount, currency);
          expect(price).toMatch(digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`));
          const exact = new ExactDecimal(quantity).times(unitAmount);
          const halfMinorUnit = new ExactDecimal(10).pow(-digits).div(2);
          expect(new ExactDecimal(price).minus(exact).abs().lte(halfMinorUnit)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Every model: graduated, volume, package, bounds, included quantities, closed periods.
// ---------------------------------------------------------------------------------------------

/** The API calls: 0–1,000 free, 1,001–100,000 at 0.002, above at 0.001. */
const API: TierSpec[] = [
  ['1000', '0'],
  ['100000', '0.002'],
  [null, '0.001'],
];
/** The allotment example: 0–1,000 at 0.002, then 0.001. */
const ALLOTMENT: TierSpec[] = [
  ['1000', '0.002'],
  [null, '0.001'],
];
/** Flat amounts: 1–10 at 1 plus 5, above at 0.5 plus 20. */
const FLAT: TierSpec[] = [
  ['10', '1', '5'],
  [null, '0.5', '20'],
];
const FLAT_JPY: TierSpec[] = [
  ['100', '2', '500'],
  [null, '1', '1000'],
];

type Row = [
  label: string,
  price: Price,
  quantity: string,
  currency: string,
  included: string,
  expected: string,
];

describe('rate, hand-checked', () => {
  describe('graduated', () => {
    it.each<Row>([
      ['the issue: 150,000 calls = 198.00 + 50.00', graduated(API), '150000', 'usd', '0', '248.00'],
      ['nothing used', graduated(API), '0', 'usd', '0', '0.00'],
      ['one unit in the free tier', graduated(API), '1', 'usd', '0', '0.00'],
      ['exactly the free tier', graduated(API), '1000', 'usd', '0', '0.00'],
      ['one unit into the second tier, 0.002 rounds down', graduated(API), '1001', 'usd', '0', '0.00'],
      ['three units into the second tier, 0.006 rounds up', graduated(API), '1003', 'usd', '0', '0.01'],
      ['exactly at the second up_to', graduated(API), '100000', 'usd', '0', '198.00'],
      ['one unit above the second up_to', graduated(API), '100001', 'usd', '0', '198.00'],
      ['198.005 rounds half up', graduated(API), '100005', 'usd', '0', '198.01'],
      ['a fractional quantity', graduated(API), '1500.5', 'usd', '0', '1.00'],
      ['a fractional quantity, 5.005 rounds half up once', graduated(API), '3502.5', 'usd', '0', '5.01'],
      ['jpy', graduated(API), '150000', 'jpy', '0', '248'],
      [
        'a 30-digit quantity, exact',
        graduated(API),
        `1${'0'.repeat(29)}`,
        'usd',
        '0',
        `1${'0'.repeat(24)}98.00`,
      ],
      ['jpy, 200.75 rounds up', graduated(API), '102750', 'jpy', '0', '201'],
      ['kwd keeps three decimals', graduated(API), '100001', 'kwd', '0', '198.001'],
      ['kwd, a fraction of a unit', graduated(API), '1000.5', 'kwd', '0', '0.001'],
      ['kwd, 0.0005 rounds half up', graduated(API), '1000.25', 'kwd', '0', '0.001'],
      ['a flat amount with the first unit', graduated(FLAT), '1', 'usd', '0', '6.00'],
      ['exactly at up_to: one flat amount', graduated(FLAT), '10', 'usd', '0', '15.00'],
      ['half a unit into the next tier adds its flat amount', graduated(FLAT), '10.5', 'usd', '0', '35.25'],
      ['both flat amounts', graduated(FLAT), '11', 'usd', '0', '35.50'],
      ['each flat amount once', graduated(FLAT), '14', 'usd', '0', '37.00'],
      ['jpy flat amounts', graduated(FLAT_JPY), '150', 'jpy', '0', '1750'],
      ['jpy, exactly at up_to', graduated(FLAT_JPY), '100', 'jpy', '0', '700'],
      ['the issue: 1,500 with 1,000 included', graduated(ALLOTMENT), '1500', 'usd', '1000', '0.50'],
      ['all of it included', graduated(ALLOTMENT), '1000', 'usd', '1000', '0.00'],
      ['less than included', graduated(ALLOTMENT), '900', 'usd', '1000', '0.00'],
      ['included ends inside the first tier', graduated(ALLOTMENT), '1200', 'usd', '500', '1.20'],
      ['included covers the first tier: no flat amount for it', graduated(FLAT), '11', 'usd', '10', '20.50'],
      ['included ends inside a tier: its flat amount once', graduated(FLAT), '11', 'usd', '5', '30.50'],
      ['included covers all: no flat amount', graduated(FLAT), '10', 'usd', '10', '0.00'],
      ['included within the free tier changes nothing', graduated(API), '150000', 'usd', '1000', '248.00'],
      ['included up to the last tier', graduated(API), '150000', 'usd', '100000', '50.00'],
      ['below the minimum', graduated(API, { minimumAmount: '5' }), '1500', 'usd', '0', '5.00'],
      ['above the minimum', graduated(API, { minimumAmount: '5' }), '150000', 'usd', '0', '248.00'],
      [
        'usage in the free tier still has the minimum',
        graduated(API, { minimumAmount: '5' }),
        '1000',
        'usd',
        '0',
        '5.00',
      ],
      ['no usage: no minimum', graduated(API, { minimumAmount: '5' }), '0', 'usd', '0', '0.00'],
      ['all included: no minimum', graduated(API, { minimumAmount: '5' }), '1000', 'usd', '1000', '0.00'],
      ['above the maximum', graduated(API, { maximumAmount: '100' }), '150000', 'usd', '0', '100.00'],
      ['below the maximum', graduated(API, { maximumAmount: '100' }), '50000', 'usd', '0', '98.00'],
      [
        'both bounds, the minimum applies',
        graduated(API, { minimumAmount: '5', maximumAmount: '100' }),
        '150000',
        'usd',
        '149000',
        '5.00',
      ],
      ['a jpy minimum', graduated(API, { minimumAmount: '500' }), '150000', 'jpy', '0', '500'],
      ['a kwd maximum', graduated(API, { maximumAmount: '10.5' }), '150000', 'kwd', '0', '10.500'],
      ['a negative quantity prices zero', graduated(FLAT, { minimumAmount: '1' }), '-5', 'usd', '0', '0.00'],
    ])('%s', (_, price, quantity, currency, included, expected) => {
      expect(rate(quantity, price, currency, included)).toBe(expected);
    });
  });

  describe('volume', () => {
    it.each<Row>([
      ['the issue: 150,000 calls all at 0.001', volume(API), '150000', 'usd', '0', '150.00'],
      ['nothing used', volume(API), '0', 'usd', '0', '0.00'],
      ['exactly the free tier', volume(API), '1000', 'usd', '0', '0.00'],
      ['one unit above: every unit at 0.002', volume(API), '1001', 'usd', '0', '2.00'],
      ['exactly at the second up_to', volume(API), '100000', 'usd', '0', '200.00'],
      ['one unit above the second up_to: less', volume(API), '100001', 'usd', '0', '100.00'],
      ['a fractional quantity, 5.005 rounds half up', volume(API), '2502.5', 'usd', '0', '5.01'],
      ['jpy', volume(API), '150000', 'jpy', '0', '150'],
      ['a 30-digit quantity, exact', volume(API), `1${'0'.repeat(29)}`, 'usd', '0', `1${'0'.repeat(26)}.00`],
      ['kwd', volume(API), '1001', 'kwd', '0', '2.002'],
      ['a flat amount, exactly at up_to', volume(FLAT), '10', 'usd', '0', '15.00'],
      ['the next tier: only its flat amount', volume(FLAT), '11', 'usd', '0', '25.50'],
      ['a fractional quantity in the next tier', volume(FLAT), '10.5', 'usd', '0', '25.25'],
      ['twenty units', volume(FLAT), '20', 'usd', '0', '30.00'],
      ['jpy flat amounts', volume(FLAT_JPY), '150', 'jpy', '0', '1150'],
      [
        'the issue allotment: the tier of the total prices the rest',
        volume(ALLOTMENT),
        '1500',
        'usd',
        '1000',
        '0.50',
      ],
      ['included, many units', volume(API), '150000', 'usd', '1000', '149.00'],
      ['included, then a tier with a flat amount', volume(FLAT), '11', 'usd', '10', '20.50'],
      ['included inside the first tier', volume(FLAT), '8', 'usd', '5', '8.00'],
      ['all included: no flat amount', volume(FLAT), '10', 'usd', '10', '0.00'],
      [
        'usage in the free tier has the minimum',
        volume(API, { minimumAmount: '1' }),
        '1000',
        'usd',
        '0',
        '1.00',
      ],
      ['no usage: no minimum', volume(API, { minimumAmount: '1' }), '0', 'usd', '0', '0.00'],
      ['above the maximum', volume(API, { maximumAmount: '120' }), '100000', 'usd', '0', '120.00'],
      [
        'below the maximum, past the decrease',
        volume(API, { maximumAmount: '120' }),
        '100001',
        'usd',
        '0',
        '100.00',
      ],
      ['a negative quantity prices zero', volume(FLAT), '-5', 'usd', '0', '0.00'],
    ])('%s', (_, price, quantity, currency, included, expected) => {
      expect(rate(quantity, price, currency, included)).toBe(expected);
    });
  });

  describe('package', () => {
    it.each<Row>([
      ['the issue: 1,001 calls at 1,000 per $5, up', pack('1000', '5'), '1001', 'usd', '0', '10.00'],
      ['the issue: rounding down', pack('1000', '5', 'down'), '1001', 'usd', '0', '5.00'],
      ['exactly one package, up', pack('1000', '5'), '1000', 'usd', '0', '5.00'],
      ['exactly one package, down', pack('1000', '5', 'down'), '1000', 'usd', '0', '5.00'],
      ['nothing used', pack('1000', '5'), '0', 'usd', '0', '0.00'],
      ['one unit, up: a whole package', pack('1000', '5'), '1', 'usd', '0', '5.00'],
      ['one unit, down: none', pack('1000', '5', 'down'), '1', 'usd', '0', '0.00'],
      ['a fractional quantity, up', pack('1000', '5'), '2999.5', 'usd', '0', '15.00'],
      ['a fractional quantity, down', pack('1000', '5', 'down'), '2999.5', 'usd', '0', '10.00'],
      ['a fractional package size, up', pack('0.5', '1'), '1.2', 'usd', '0', '3.00'],
      ['a fractional package size, down', pack('0.5', '1', 'down'), '1.2', 'usd', '0', '2.00'],
      ['a size that does not divide, up', pack('3', '0.01'), '10', 'usd', '0', '0.04'],
      ['a size that does not divide, down', pack('3', '0.01', 'down'), '10', 'usd', '0', '0.03'],
      ['jpy, up', pack('100', '500'), '250', 'jpy', '0', '1500'],
      ['jpy, down', pack('100', '500', 'down'), '250', 'jpy', '0', '1000'],
      ['kwd', pack('10', '1.255'), '25', 'kwd', '0', '3.765'],
      [
        'the smallest package size',
        pack(`0.${'0'.repeat(17)}1`, '0.01'),
        '0.5',
        'usd',
        '0',
        `5${'0'.repeat(15)}.00`,
      ],
      [
        'a large quantity just above whole packages, up',
        pack('1000', '5'),
        `${'9'.repeat(27)}000.000000000000000001`,
        'usd',
        '0',
        `5${'0'.repeat(27)}.00`,
      ],
      [
        'a large quantity just above whole packages, down',
        pack('1000', '5', 'down'),
        `${'9'.repeat(27)}000.000000000000000001`,
        'usd',
        '0',
        `4${'9'.repeat(26)}5.00`,
      ],
      ['included, one unit above, up', pack('1000', '5'), '1001', 'usd', '1000', '5.00'],
      ['included, one unit above, down', pack('1000', '5', 'down'), '1001', 'usd', '1000', '0.00'],
      ['all included', pack('1000', '5'), '1000', 'usd', '1000', '0.00'],
      ['packages of the quantity above included, up', pack('1000', '5'), '2000', 'usd', '500', '10.00'],
      [
        'packages of the quantity above included, down',
        pack('1000', '5', 'down'),
        '2000',
        'usd',
        '500',
        '5.00',
      ],
      [
        'no whole package still has the minimum',
        pack('1000', '5', 'down', { minimumAmount: '1' }),
        '500',
        'usd',
        '0',
        '1.00',
      ],
      ['no usage: no minimum', pack('1000', '5', 'down', { minimumAmount: '1' }), '0', 'usd', '0', '0.00'],
      ['above the maximum', pack('1000', '5', 'up', { maximumAmount: '12' }), '5000', 'usd', '0', '12.00'],
      ['a negative quantity prices zero', pack('1000', '5'), '-5', 'usd', '0', '0.00'],
    ])('%s', (_, price, quantity, currency, included, expected) => {
      expect(rate(quantity, price, currency, included)).toBe(expected);
    });
  });

  describe('per unit, with bounds and included', () => {
    it.each<Row>([
      ['included', unit('0.01'), '1500', 'usd', '1000', '5.00'],
      ['all included', unit('0.01'), '1000', 'usd', '1000', '0.00'],
      ['less than included', unit('0.01'), '999', 'usd', '1000', '0.00'],
      ['a fractional included', unit('1'), '2.5', 'usd', '0.25', '2.25'],
      ['below the minimum', unit('0.001', { minimumAmount: '1' }), '10', 'usd', '0', '1.00'],
      [
        'between the bounds',
        unit('0.001', { minimumAmount: '1', maximumAmount: '5' }),
        '3000',
        'usd',
        '0',
        '3.00',
      ],
      ['above the maximum', unit('0.001', { maximumAmount: '5' }), '10000', 'usd', '0', '5.00'],
      ['no usage: no minimum', unit('0.001', { minimumAmount: '1' }), '0', 'usd', '0', '0.00'],
      ['a jpy minimum', unit('1', { minimumAmount: '100' }), '5', 'jpy', '0', '100'],
      ['a kwd maximum', unit('1', { maximumAmount: '2.5' }), '3', 'kwd', '0', '2.500'],
      ['a negative quantity (a correction) at its negative', unit('1'), '-5', 'usd', '0', '-5.00'],
      ['a negative quantity with included prices zero', unit('1'), '-5', 'usd', '1', '0.00'],
      [
        'a correction below zero is not raised to the minimum',
        unit('1', { minimumAmount: '5' }),
        '-5',
        'usd',
        '0',
        '-5.00',
      ],
      [
        'a correction below zero, both bounds',
        unit('0.5', { minimumAmount: '1', maximumAmount: '2' }),
        '-3',
        'usd',
        '0',
        '-1.50',
      ],
    ])('%s', (_, price, quantity, currency, included, expected) => {
      expect(rate(quantity, price, currency, included)).toBe(expected);
    });
  });
});

describe('priceQuantity breakdown', () => {
  it('the issue: 150,000 calls on graduated tiers, each tier exact', () => {
    expect(priceQuantity('150000', graduated(API), 'usd')).toEqual({
      subtotal: '248',
      bound: null,
      amount: '248.00',
      tiers: [
        { from: '0', to: '1000', quantity: '1000', unitAmount: '0', flatAmount: '0', amount: '0' },
        {
          from: '1000',
          to: '100000',
          quantity: '99000',
          unitAmount: '0.002',
          flatAmount: '0',
          amount: '198',
        },
        { from: '100000', to: null, quantity: '50000', unitAmount: '0.001', flatAmount: '0', amount: '50' },
      ],
    });
  });

  it('keeps tier amounts exact and rounds only the line', () => {
    expect(priceQuantity('3502.5', graduated(API), 'usd')).toEqual({
      subtotal: '5.005',
      bound: null,
      amount: '5.01',
      tiers: [
        { from: '0', to: '1000', quantity: '1000', unitAmount: '0', flatAmount: '0', amount: '0' },
        {
          from: '1000',
          to: '100000',
          quantity: '2502.5',
          unitAmount: '0.002',
          flatAmount: '0',
          amount: '5.005',
        },
      ],
    });
  });

  it('stops at the tier whose up_to the quantity reaches exactly', () => {
    expect(priceQuantity('10', graduated(FLAT), 'usd').tiers).toEqual([
      { from: '0', to: '10', quantity: '10', unitAmount: '1', flatAmount: '5', amount: '15' },
    ]);
  });

  it('adds each flat amount in its row', () => {
    expect(priceQuantity('14', graduated(FLAT), 'usd')).toEqual({
      subtotal: '37',
      bound: null,
      amount: '37.00',
      tiers: [
        { from: '0', to: '10', quantity: '10', unitAmount: '1', flatAmount: '5', amount: '15' },
        { from: '10', to: null, quantity: '4', unitAmount: '0.5', flatAmount: '20', amount: '22' },
      ],
    });
  });

  it('leaves tiers wholly included out, and starts a partly included one at included', () => {
    expect(priceQuantity('1500', graduated(ALLOTMENT), 'usd', '1000')).toEqual({
      subtotal: '0.5',
      bound: null,
      amount: '0.50',
      tiers: [
        { from: '1000', to: null, quantity: '500', unitAmount: '0.001', flatAmount: '0', amount: '0.5' },
      ],
    });
    expect(priceQuantity('1200', graduated(ALLOTMENT), 'usd', '500').tiers).toEqual([
      { from: '0', to: '1000', quantity: '500', unitAmount: '0.002', flatAmount: '0', amount: '1' },
      { from: '1000', to: null, quantity: '200', unitAmount: '0.001', flatAmount: '0', amount: '0.2' },
    ]);
  });

  it('the issue: volume prices all 150,000 at the tier of the total', () => {
    expect(priceQuantity('150000', volume(API), 'usd')).toEqual({
      subtotal: '150',
      bound: null,
      amount: '150.00',
      tiers: [
        { from: '100000', to: null, quantity: '150000', unitAmount: '0.001', flatAmount: '0', amount: '150' },
      ],
    });
    expect(priceQuantity('11', volume(FLAT), 'usd', '10').tiers).toEqual([
      { from: '10', to: null, quantity: '1', unitAmount: '0.5', flatAmount: '20', amount: '20.5' },
    ]);
  });

  it('the issue: a package row counts packages at the package amount', () => {
    expect(priceQuantity('1001', pack('1000', '5'), 'usd')).toEqual({
      subtotal: '10',
      bound: null,
      amount: '10.00',
      tiers: [{ from: '0', to: null, quantity: '2', unitAmount: '5', flatAmount: '0', amount: '10' }],
    });
    expect(priceQuantity('1001', pack('1000', '5', 'down'), 'usd').tiers).toEqual([
      { from: '0', to: null, quantity: '1', unitAmount: '5', flatAmount: '0', amount: '5' },
    ]);
  });

  it('a per-unit row', () => {
    expect(priceQuantity('42318', unit('0.001'), 'usd')).toEqual({
      subtotal: '42.318',
      bound: null,
      amount: '42.32',
      tiers: [
        { from: '0', to: null, quantity: '42318', unitAmount: '0.001', flatAmount: '0', amount: '42.318' },
      ],
    });
  });

  it('names the bound that set the amount, the subtotal before it', () => {
    expect(priceQuantity('1500', graduated(API, { minimumAmount: '5' }), 'usd')).toMatchObject({
      subtotal: '1',
      bound: 'minimum',
      amount: '5.00',
    });
    expect(priceQuantity('150000', graduated(API, { maximumAmount: '100' }), 'usd')).toMatchObject({
      subtotal: '248',
      bound: 'maximum',
      amount: '100.00',
    });
    expect(
      priceQuantity('5000', graduated(API, { minimumAmount: '5', maximumAmount: '100' }), 'usd'),
    ).toMatchObject({
      subtotal: '8',
      bound: null,
      amount: '8.00',
    });
    expect(
      priceQuantity('5000', graduated(API, { minimumAmount: '8', maximumAmount: '8' }), 'usd'),
    ).toMatchObject({
      subtotal: '8',
      bound: null,
      amount: '8.00',
    });
  });

  it.each<[string, Price, string, string]>([
    ['graduated with flat amounts and a minimum', graduated(FLAT, { minimumAmount: '100' }), '10', '10'],
    ['volume with flat amounts and a minimum', volume(FLAT, { minimumAmount: '100' }), '10', '10'],
    ['package with a minimum', pack('1000', '5', 'up', { minimumAmount: '100' }), '10', '10'],
    ['per unit with a minimum', unit('1', { minimumAmount: '100' }), '10', '10'],
    ['graduated, nothing used', graduated(FLAT, { minimumAmount: '100' }), '0', '0'],
    ['volume, nothing used', volume(FLAT, { minimumAmount: '100' }), '0', '0'],
    ['package, nothing used', pack('1000', '5', 'up', { minimumAmount: '100' }), '0', '0'],
    ['per unit, nothing used', unit('1', { minimumAmount: '100' }), '0', '0'],
    ['graduated, less than included', graduated(FLAT, { minimumAmount: '100' }), '3', '10'],
    ['volume, a negative quantity', volume(FLAT, { minimumAmount: '100' }), '-3', '0'],
    ['package, a negative quantity', pack('1000', '5', 'up', { minimumAmount: '100' }), '-3', '0'],
  ])(
    '%s: nothing billable above included is zero, no tiers, no flat amount, no minimum',
    (_, price, quantity, included) => {
      expect(priceQuantity(quantity, price, 'usd', included)).toEqual({
        subtotal: '0',
        bound: null,
        amount: '0.00',
        tiers: [],
      });
      expect(rate(quantity, price, 'jpy', included)).toBe('0');
    },
  );
});

describe('closedPeriodDifference, hand-checked', () => {
  it('bills late usage at the tiers it reaches, with the change of each tier', () => {
    expect(
      closedPeriodDifference({
        billedQuantity: '90000',
        billed: '178.00',
        quantity: '150000',
        price: graduated(API),
        currency: 'usd',
      }),
    ).toEqual({
      subtotal: '70',
      bound: null,
      amount: '70.00',
      tiers: [
        { from: '1000', to: '100000', quantity: '10000', unitAmount: '0.002', flatAmount: '0', amount: '20' },
        { from: '100000', to: null, quantity: '50000', unitAmount: '0.001', flatAmount: '0', amount: '50' },
      ],
    });
  });

  it('prices late usage above the first tier at the last tier reached, never the first tier again', () => {
    const late = closedPeriodDifference({
      billedQuantity: '150000',
      billed: '248.00',
      quantity: '151000',
      price: graduated(API),
      currency: 'usd',
    });
    expect(late.amount).toBe('1.00');
    expect(late.tiers).toEqual([
      { from: '100000', to: null, quantity: '1000', unitAmount: '0.001', flatAmount: '0', amount: '1' },
    ]);
  });

  it('a volume price crossing a tier moves every unit (and can refund)', () => {
    expect(
      closedPeriodDifference({
        billedQuantity: '100000',
        billed: '200.00',
        quantity: '100001',
        price: volume(API),
        currency: 'usd',
      }),
    ).toEqual({
      subtotal: '-99.999',
      bound: null,
      amount: '-100.00',
      tiers: [
        {
          from: '1000',
          to: '100000',
          quantity: '-100000',
          unitAmount: '0.002',
          flatAmount: '0',
          amount: '-200',
        },
        {
          from: '100000',
          to: null,
          quantity: '100001',
          unitAmount: '0.001',
          flatAmount: '0',
          amount: '100.001',
        },
      ],
    });
  });

  it('a package price bills the new package', () => {
    expect(
      closedPeriodDifference({
        billedQuantity: '1000',
        billed: '5.00',
        quantity: '1001',
        price: pack('1000', '5'),
        currency: 'usd',
      }),
    ).toEqual({
      subtotal: '5',
      bound: null,
      amount: '5.00',
      tiers: [{ from: '0', to: null, quantity: '1', unitAmount: '5', flatAmount: '0', amount: '5' }],
    });
  });

  it('a new tier brings its flat amount', () => {
    expect(
      closedPeriodDifference({
        billedQuantity: '10',
        billed: '15.00',
        quantity: '11',
        price: graduated(FLAT),
        currency: 'usd',
      }),
    ).toEqual({
      subtotal: '20.5',
      bound: null,
      amount: '20.50',
      tiers: [{ from: '10', to: null, quantity: '1', unitAmount: '0.5', flatAmount: '20', amount: '20.5' }],
    });
  });

  it('a void refunds the difference', () => {
    expect(
      closedPeriodDifference({
        billedQuantity: '1000',
        billed: '10.00',
        quantity: '400',
        price: unit('0.01'),
        currency: 'usd',
      }),
    ).toMatchObject({ subtotal: '-6', amount: '-6.00' });
    expect(
      closedPeriodDifference({
        billedQuantity: '11',
        billed: '35.50',
        quantity: '10',
        price: graduated(FLAT),
        currency: 'usd',
      }),
    ).toEqual({
      subtotal: '-20.5',
      bound: null,
      amount: '-20.50',
      tiers: [
        { from: '10', to: null, quantity: '-1', unitAmount: '0.5', flatAmount: '-20', amount: '-20.5' },
      ],
    });
  });

  it('is what the whole period costs less what was billed, whatever was billed', () => {
    expect(
      closedPeriodDifference({
        billedQuantity: '90000',
        billed: '170.00',
        quantity: '150000',
        price: graduated(API),
        currency: 'usd',
      }).amount,
    ).toBe('78.00');
  });

  it('nothing changed: nothing to bill', () => {
    expect(
      closedPeriodDifference({
        billedQuantity: '150000',
        billed: '248.00',
        quantity: '150000',
        price: graduated(API),
        currency: 'usd',
      }),
    ).toEqual({ subtotal: '0', bound: null, amount: '0.00', tiers: [] });
  });

  it('a minimum already billed absorbs late usage below it', () => {
    expect(
      closedPeriodDifference({
        billedQuantity: '1000',
        billed: '5.00',
        quantity: '1500',
        price: graduated(API, { minimumAmount: '5' }),
        currency: 'usd',
      }),
    ).toEqual({
      subtotal: '1',
      bound: 'minimum',
      amount: '0.00',
      tiers: [
        { from: '1000', to: '100000', quantity: '500', unitAmount: '0.002', flatAmount: '0', amount: '1' },
      ],
    });
  });

  it('keeps included units free', () => {
    expect(
      closedPeriodDifference({
        billedQuantity: '1000',
        billed: '0.00',
        quantity: '1500',
        price: graduated(ALLOTMENT),
        currency: 'usd',
        included: '1000',
      }).amount,
    ).toBe('0.50');
    expect(
      closedPeriodDifference({
        billedQuantity: '100',
        billed: '700',
        quantity: '150',
        price: graduated(FLAT_JPY),
        currency: 'jpy',
      }).amount,
    ).toBe('1050');
  });
});

// --- Properties -------------------------------------------------------------------------------

const CURRENCIES = ['usd', 'eur', 'jpy', 'krw', 'kwd', 'bhd'] as const;
const minorUnit = (currency: string) => new ExactDecimal(10).pow(-minorUnitDigits(currency));
const moneyPattern = (currency: string) => {
  const digits = minorUnitDigits(currency);
  return digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`);
};

/** Canonical decimal text, `units` / 10^scale, units in [min, max]. */
const dec$ = (max: bigint, maxScale: number, min = 0n) =>
  fc
    .tuple(fc.bigInt({ min, max }), fc.integer({ min: 0, max: maxScale }))
    .map(([units, scale]) => new ExactDecimal(units.toString()).div(10 ** scale).toFixed());

const bounds$ = (digits: number) =>
  fc
    .tuple(fc.option(dec$(10n ** 7n, digits)), fc.option(dec$(10n ** 7n, digits)))
    .map(([a, b]): PriceBounds => {
      if (a !== null && b !== null && new ExactDecimal(a).greaterThan(b)) [a, b] = [b, a];
      return { minimumAmount: a, maximumAmount: b };
    });

const tiers$ = (digits: number, options: { flat: boolean; maxStep?: bigint; maxScale?: number }) =>
  fc
    .array(
      fc.record({
        step: dec$(options.maxStep ?? 10n ** 6n, options.maxScale ?? 2, 1n),
        unitAmount: dec$(10n ** 6n, 6),
        flatAmount: options.flat ? fc.oneof(fc.constant('0'), dec$(10n ** 5n, digits)) : fc.constant('0'),
      }),
      { minLength: 1, maxLength: 5 },
    )
    .map((rows): Tier[] => {
      let upTo = new ExactDecimal(0);
      return rows.map(({ step, unitAmount, flatAmount }, i) => {
        upTo = upTo.plus(step);
        return { upTo: i === rows.length - 1 ? null : upTo.toFixed(), unitAmount, flatAmount };
      });
    });

type Model = Price['model'];
const price$ = (
  currency: string,
  options: { models?: Model[]; flat?: boolean; bounds?: boolean } = {},
): fc.Arbitrary<Price> => {
  const digits = minorUnitDigits(currency);
  const models = options.models ?? ['per_unit', 'graduated', 'volume', 'package'];
  const bounds = options.bounds === false ? fc.constant(NO_BOUNDS) : bounds$(digits);
  const flat = options.flat ?? true;
  const of: Record<Model, fc.Arbitrary<Price>> = {
    per_unit: fc
      .tuple(dec$(10n ** 8n, 8), bounds)
      .map(([unitAmount, b]): Price => ({ ...perUnit(unitAmount), ...b })),
    graduated: fc
      .tuple(tiers$(digits, { flat }), bounds)
      .map(([tiers, b]): Price => ({ model: 'graduated', tiers, ...b })),
    volume: fc
      .tuple(tiers$(digits, { flat }), bounds)
      .map(([tiers, b]): Price => ({ model: 'volume', tiers, ...b })),
    package: fc
      .tuple(
        dec$(10n ** 5n, 2, 1n),
        dec$(10n ** 5n, digits),
        fc.constantFrom('up' as const, 'down' as const),
        bounds,
      )
      .map(([packageSize, packageAmount, rounding, b]) => pack(packageSize, packageAmount, rounding, b)),
  };
  return fc.oneof(...models.map((model) => of[model]));
};

/** Quantities that land on, just below and just above tier boundaries and package multiples as often as not. */
const quantityFor$ = (price: Price): fc.Arbitrary<string> => {
  const marks: string[] = ['0'];
  if (price.model === 'graduated' || price.model === 'volume')
    for (const tier of price.tiers) if (tier.upTo !== null) marks.push(tier.upTo);
  if (price.model === 'package')
    for (const k of [1, 2, 7]) marks.push(new ExactDecimal(price.packageSize).times(k).toFixed());
  const nudged = fc
    .tuple(fc.constantFrom(...marks), fc.constantFrom('0', '0.01', '-0.01', '1', '-1', '0.5'))
    .map(([mark, by]) => decimalText(ExactDecimal.max(new ExactDecimal(mark).plus(by), 0)));
  return fc.oneof(nudged, dec$(10n ** 9n, 3));
};

const case$ = (options: { models?: Model[]; flat?: boolean; bounds?: boolean } = {}) =>
  fc
    .constantFrom(...CURRENCIES)
    .chain((currency) => price$(currency, options).map((price) => ({ currency, price })))
    .chain(({ currency, price }) =>
      fc
        .record({
          quantity: fc.oneof(
            { arbitrary: quantityFor$(price), weight: 9 },
            { arbitrary: dec$(0n, 3, -(10n ** 6n)), weight: 1 },
          ),
          included: fc.oneof(fc.constant('0'), quantityFor$(price)),
        })
        .map((q) => ({ currency, price, ...q })),
    );

const sum = (values: readonly string[]) =>
  values.reduce((total, value) => total.plus(value), new ExactDecimal(0));
const maxUnitAmount = (price: Price) =>
  price.model === 'graduated' || price.model === 'volume'
    ? ExactDecimal.max(...price.tiers.map((tier) => new ExactDecimal(tier.unitAmount)))
    : new ExactDecimal(price.model === 'per_unit' ? price.unitAmount : price.packageAmount);

/** The exact subtotal from the rules as written, independently of rating.ts. */
function expectedSubtotal(price: Price, quantity: string, included: string): ExactDecimal {
  const q = new ExactDecimal(quantity);
  const n = ExactDecimal.max(new ExactDecimal(included), 0);
  if (!q.greaterThan(n)) {
    return price.model === 'per_unit' && n.isZero() ? q.times(price.unitAmount) : new ExactDecimal(0);
  }
  switch (price.model) {
    case 'per_unit':
      return q.minus(n).times(price.unitAmount);
    case 'graduated': {
      // Each tier's share of (n, q]: its overlap with (previous up_to, up_to].
      let total = new ExactDecimal(0);
      let low = new ExactDecimal(0);
      for (const tier of price.tiers) {
        const high = tier.upTo === null ? q : new ExactDecimal(tier.upTo);
        const overlap = ExactDecimal.min(high, q).minus(ExactDecimal.max(low, n));
        if (overlap.greaterThan(0)) total = total.plus(overlap.times(tier.unitAmount)).plus(tier.flatAmount);
        if (tier.upTo !== null) low = high;
      }
      return total;
    }
    case 'volume': {
      const tier = price.tiers.find((t) => t.upTo === null || q.lte(t.upTo))!;
      return q.minus(n).times(tier.unitAmount).plus(tier.flatAmount);
    }
    case 'package': {
      // Whole packages in integers at 18 decimals, without dividing decimals.
      const scaled = (value: ExactDecimal) => BigInt(value.times(new ExactDecimal(10).pow(18)).toFixed(0));
      const billable = scaled(q.minus(n));
      const size = scaled(new ExactDecimal(price.packageSize));
      const packages = price.rounding === 'up' ? (billable + size - 1n) / size : billable / size;
      return new ExactDecimal(packages.toString()).times(price.packageAmount);
    }
  }
}

const hasBillableUsage = (quantity: string, included: string) =>
  new ExactDecimal(quantity).greaterThan(ExactDecimal.max(new ExactDecimal(included), 0));

const clamp = (value: ExactDecimal, bounds: PriceBounds) => {
  if (bounds.minimumAmount !== null && value.lessThan(bounds.minimumAmount))
    return new ExactDecimal(bounds.minimumAmount);
  if (bounds.maximumAmount !== null && value.greaterThan(bounds.maximumAmount))
    return new ExactDecimal(bounds.maximumAmount);
  return value;
};

describe('rating properties', () => {
  it('every model: the subtotal is the rules applied by hand, and the tier rows sum to it', () => {
    fc.assert(
      fc.property(case$(), ({ currency, price, quantity, included }) => {
        const priced = priceQuantity(quantity, price, currency, included);
        expect(new ExactDecimal(priced.subtotal).equals(expectedSubtotal(price, quantity, included))).toBe(
          true,
        );
        expect(sum(priced.tiers.map((row) => row.amount)).equals(priced.subtotal)).toBe(true);
        for (const row of priced.tiers) {
          expect(
            new ExactDecimal(row.quantity).times(row.unitAmount).plus(row.flatAmount).equals(row.amount),
          ).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('graduated, integer units: each unit priced at the tier it falls in, each reached tier its flat amount once', () => {
    const small$ = fc.constantFrom(...CURRENCIES).chain((currency) =>
      fc.record({
        currency: fc.constant(currency),
        tiers: tiers$(minorUnitDigits(currency), { flat: true, maxStep: 40n, maxScale: 0 }),
        quantity: fc.integer({ min: 0, max: 150 }),
        included: fc.integer({ min: 0, max: 60 }),
      }),
    );
    fc.assert(
      fc.property(small$, ({ currency, tiers, quantity, included }) => {
        let expected = new ExactDecimal(0);
        const reached = new Set<number>();
        for (let k = included + 1; k <= quantity; k++) {
          const at = tiers.findIndex((tier) => tier.upTo === null || k <= Number(tier.upTo));
          expected = expected.plus(tiers[at]!.unitAmount);
          reached.add(at);
        }
        for (const at of reached) expected = expected.plus(tiers[at]!.flatAmount);
        const priced = priceQuantity(
          `${quantity}`,
          { model: 'graduated', tiers, ...NO_BOUNDS },
          currency,
          `${included}`,
        );
        expect(new ExactDecimal(priced.subtotal).equals(expected)).toBe(true);
        expect(priced.tiers.map((row) => row.to)).toEqual(
          [...reached].sort((a, b) => a - b).map((at) => tiers[at]!.upTo),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('the amount has exactly the minor-unit digits, within half a minor unit of the clamped subtotal', () => {
    fc.assert(
      fc.property(case$(), ({ currency, price, quantity, included }) => {
        const priced = priceQuantity(quantity, price, currency, included);
        expect(priced.amount).toMatch(moneyPattern(currency));
        expect(rate(quantity, price, currency, included)).toBe(priced.amount);
        const subtotal = new ExactDecimal(priced.subtotal);
        // The bounds hold the line's amount when there is billable usage, never a correction's.
        const exact = hasBillableUsage(quantity, included) ? clamp(subtotal, price) : subtotal;
        expect(new ExactDecimal(priced.amount).minus(exact).abs().lte(minorUnit(currency).div(2))).toBe(true);
        const bound = exact.equals(subtotal) ? null : exact.lessThan(subtotal) ? 'maximum' : 'minimum';
        expect(priced.bound).toBe(bound);
      }),
      { numRuns: 400 },
    );
  });

  it('with billable usage, minimum ≤ amount ≤ maximum; without, zero and no rows', () => {
    fc.assert(
      fc.property(case$(), ({ currency, price, quantity, included }) => {
        const priced = priceQuantity(quantity, price, currency, included);
        const amount = new ExactDecimal(priced.amount);
        if (hasBillableUsage(quantity, included)) {
          if (price.minimumAmount !== null) expect(amount.gte(price.minimumAmount)).toBe(true);
          if (price.maximumAmount !== null) expect(amount.lte(price.maximumAmount)).toBe(true);
          expect(priced.tiers.length).toBeGreaterThan(0);
        } else if (
          price.model === 'per_unit' &&
          new ExactDecimal(included).isZero() &&
          !new ExactDecimal(quantity).isZero()
        ) {
          // A per-unit correction below zero: its negative, whatever the bounds.
          expect(priced.bound).toBeNull();
          expect(amount.lte(0)).toBe(true);
        } else {
          expect(priced).toEqual({
            subtotal: '0',
            bound: null,
            amount: roundMoney(new ExactDecimal(0), currency),
            tiers: [],
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('graduated is monotonic non-decreasing in quantity, flat amounts, bounds and included too', () => {
    fc.assert(
      fc.property(
        case$({ models: ['graduated'] }),
        dec$(10n ** 6n, 3),
        ({ currency, price, quantity, included }, d) => {
          const more = new ExactDecimal(quantity).plus(d).toFixed();
          const before = new ExactDecimal(rate(quantity, price, currency, included));
          expect(new ExactDecimal(rate(more, price, currency, included)).gte(before)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('graduated never jumps: without flat amounts, q + d costs at most d × the largest unit amount more', () => {
    fc.assert(
      fc.property(
        case$({ models: ['graduated'], flat: false, bounds: false }),
        dec$(10n ** 6n, 3),
        ({ currency, price, quantity, included }, d) => {
          const more = new ExactDecimal(quantity).plus(d).toFixed();
          const limit = maxUnitAmount(price).times(d);
          const a = priceQuantity(quantity, price, currency, included);
          const b = priceQuantity(more, price, currency, included);
          const exact = new ExactDecimal(b.subtotal).minus(a.subtotal);
          expect(exact.gte(0) && exact.lte(limit)).toBe(true);
          const rounded = new ExactDecimal(b.amount).minus(a.amount);
          expect(rounded.gte(0) && rounded.lte(limit.plus(minorUnit(currency)))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('volume can decrease as the quantity grows', () => {
    // Constructed: every unit moves to the cheaper tier.
    expect(rate('100000', volume(API), 'usd')).toBe('200.00');
    expect(rate('100001', volume(API), 'usd')).toBe('100.00');
    // Found: among generated volume prices, some quantity costs more than a larger one.
    const decreases = fc
      .sample(
        fc
          .constantFrom(...CURRENCIES)
          .chain((currency) =>
            price$(currency, { models: ['volume'], bounds: false }).map((price) => ({ currency, price })),
          )
          .chain(({ currency, price }) =>
            fc.tuple(fc.constant(currency), fc.constant(price), quantityFor$(price), dec$(10n ** 3n, 2)),
          ),
        { numRuns: 300, seed: 20261124 },
      )
      .filter(([currency, price, quantity, d]) => {
        const more = new ExactDecimal(quantity).plus(d).toFixed();
        return new ExactDecimal(rate(more, price, currency)).lessThan(rate(quantity, price, currency));
      });
    expect(decreases.length).toBeGreaterThan(0);
  });

  it('depends only on the period total: the same parts summed in any order or written differently rate the same', () => {
    fc.assert(
      fc.property(
        case$({}),
        fc.array(dec$(10n ** 6n, 3), { minLength: 1, maxLength: 6 }),
        ({ currency, price, included }, parts) => {
          const forward = sum(parts);
          const backward = sum([...parts].reverse());
          const grouped = sum([sum(parts.slice(0, 1)).toFixed(), sum(parts.slice(1)).toFixed()]);
          const expected = rate(forward.toFixed(), price, currency, included);
          expect(rate(backward.toFixed(6), price, currency, included)).toBe(expected);
          expect(rate(grouped.toFixed(), price, currency, included)).toBe(expected);
          expect(priceQuantity(backward.toFixed(6), price, currency, included)).toEqual(
            priceQuantity(forward.toFixed(), price, currency, included),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  const increments$ = (signed: boolean) =>
    fc.array(
      signed
        ? fc.oneof(dec$(10n ** 6n, 2), dec$(0n, 2, -(10n ** 6n)))
        : fc.oneof(dec$(10n ** 6n, 2), dec$(50n, 0)),
      { minLength: 1, maxLength: 8 },
    );

  it.each([
    ['increments', false],
    ['increments and corrections', true],
  ])(
    'every model: closedPeriodDifference over %s, billed as the running sum, totals rate(q) exactly',
    (_, signed) => {
      fc.assert(
        fc.property(case$(), increments$(signed), ({ currency, price, included }, increments) => {
          let billedQuantity = '0';
          let billed = new ExactDecimal(0);
          for (const increment of increments) {
            const quantity = new ExactDecimal(billedQuantity).plus(increment).toFixed();
            const difference = closedPeriodDifference({
              billedQuantity,
              billed: billed.toFixed(),
              quantity,
              price,
              currency,
              included,
            });
            expect(difference.amount).toMatch(moneyPattern(currency));
            expect(
              new ExactDecimal(difference.amount).equals(
                new ExactDecimal(rate(quantity, price, currency, included)).minus(
                  rate(billedQuantity, price, currency, included),
                ),
              ),
            ).toBe(true);
            expect(sum(difference.tiers.map((row) => row.amount)).equals(difference.subtotal)).toBe(true);
            billed = billed.plus(difference.amount);
            billedQuantity = quantity;
          }
          expect(roundMoney(billed, currency)).toBe(rate(billedQuantity, price, currency, included));
        }),
        { numRuns: 150 },
      );
    },
  );

  it('included: a per-unit rate(q, n) is rate(q − n) when q ≥ n, bounds too', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...CURRENCIES)
          .chain((currency) => fc.tuple(fc.constant(currency), price$(currency, { models: ['per_unit'] }))),
        dec$(10n ** 9n, 4),
        dec$(10n ** 9n, 4),
        ([currency, price], a, b) => {
          const [n, q] = new ExactDecimal(a).lessThan(b) ? [a, b] : [b, a];
          const rest = new ExactDecimal(q).minus(n).toFixed();
          expect(rate(q, price, currency, n)).toBe(rate(rest, price, currency));
          expect(priceQuantity(q, price, currency, n)).toEqual(priceQuantity(rest, price, currency));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('included: a package price prices the packages of q − n', () => {
    fc.assert(
      fc.property(case$({ models: ['package'] }), ({ currency, price, quantity, included }) => {
        fc.pre(new ExactDecimal(quantity).gte(included));
        const rest = new ExactDecimal(quantity).minus(included).toFixed();
        expect(priceQuantity(quantity, price, currency, included)).toEqual(
          priceQuantity(rest, price, currency),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('included: graduated without flat amounts costs the exact subtotal of q less that of n', () => {
    fc.assert(
      fc.property(
        case$({ models: ['graduated'], flat: false, bounds: false }),
        ({ currency, price, quantity, included }) => {
          fc.pre(new ExactDecimal(quantity).gte(included));
          const expected = new ExactDecimal(priceQuantity(quantity, price, currency).subtotal).minus(
            priceQuantity(included, price, currency).subtotal,
          );
          expect(
            new ExactDecimal(priceQuantity(quantity, price, currency, included).subtotal).equals(expected),
          ).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
