import fc from 'fast-check';
import type { Problem } from '../../common/errors/problems.js';
import { minorUnitDigits } from '../../common/money/currency.js';
import { ExactDecimal } from '../../common/money/decimal.js';
import {
  MAX_TIERS,
  parsePrice,
  PRICE_ERROR_CODES,
  perUnit,
  type Price,
  priceFromJson,
  type PriceJson,
  priceToJson,
  unitAmountOf,
} from './price.js';

/** [code, param] of each problem, sorted, to compare sets of problems. */
const codes = (problems: Problem[]): [string, string | undefined][] =>
  problems
    .map((p): [string, string | undefined] => [p.code, p.param])
    .sort((a, b) => (a.join() < b.join() ? -1 : 1));

function accepted(input: unknown, currency = 'usd', param?: string): Price {
  const result = parsePrice(input, currency, param);
  if (result.price === null) throw new Error(`expected a price, got ${JSON.stringify(result.problems)}`);
  expect(result.problems).toEqual([]);
  return result.price;
}

function rejected(input: unknown, currency = 'usd', param?: string): [string, string | undefined][] {
  const result = parsePrice(input, currency, param);
  expect(result.price).toBeNull();
  expect(result.problems.length).toBeGreaterThan(0);
  for (const problem of result.problems) {
    expect(PRICE_ERROR_CODES).toContain(problem.code);
    expect(problem.message).toEqual(expect.any(String));
  }
  return codes(result.problems);
}

const NO_BOUNDS = { minimumAmount: null, maximumAmount: null };

/** The API-call tiers: 0–1,000 free, 1,001–100,000 at 0.002, above at 0.001. */
const API_TIERS = [
  { up_to: '1000', unit_amount: '0', flat_amount: '0' },
  { up_to: '100000', unit_amount: '0.002', flat_amount: '0' },
  { up_to: null, unit_amount: '0.001', flat_amount: '0' },
];
const API_TIERS_DOMAIN = [
  { upTo: '1000', unitAmount: '0', flatAmount: '0' },
  { upTo: '100000', unitAmount: '0.002', flatAmount: '0' },
  { upTo: null, unitAmount: '0.001', flatAmount: '0' },
];

const tier = (up_to: unknown, unit_amount: unknown = '1', extra: Record<string, unknown> = {}) => ({
  up_to,
  unit_amount,
  ...extra,
});
const graduated = (tiers: unknown, extra: Record<string, unknown> = {}) => ({
  model: 'graduated',
  tiers,
  ...extra,
});
const pkg = (extra: Record<string, unknown> = {}) => ({
  model: 'package',
  package_size: '1000',
  package_amount: '5',
  ...extra,
});

describe('perUnit and unitAmountOf', () => {
  it('builds a per-unit price without bounds', () => {
    expect(perUnit('0.001')).toEqual({ model: 'per_unit', unitAmount: '0.001', ...NO_BOUNDS });
  });

  it('answers the unit amount of a per-unit price only', () => {
    expect(unitAmountOf(perUnit('0.25'))).toBe('0.25');
    expect(unitAmountOf({ model: 'graduated', tiers: API_TIERS_DOMAIN, ...NO_BOUNDS })).toBeNull();
    expect(unitAmountOf({ model: 'volume', tiers: API_TIERS_DOMAIN, ...NO_BOUNDS })).toBeNull();
    expect(
      unitAmountOf({
        model: 'package',
        packageSize: '1000',
        packageAmount: '5',
        rounding: 'up',
        ...NO_BOUNDS,
      }),
    ).toBeNull();
  });
});

describe('parsePrice accepts', () => {
  it.each<[string, unknown, string, Price]>([
    [
      'a per-unit price, canonical',
      { model: 'per_unit', unit_amount: '0.0010' },
      'usd',
      { model: 'per_unit', unitAmount: '0.001', ...NO_BOUNDS },
    ],
    [
      'a per-unit price of zero',
      { model: 'per_unit', unit_amount: '0' },
      'usd',
      { model: 'per_unit', unitAmount: '0', ...NO_BOUNDS },
    ],
    [
      'a unit amount with more decimals than the minor unit (usd)',
      { model: 'per_unit', unit_amount: `0.${'0'.repeat(17)}1` },
      'usd',
      { model: 'per_unit', unitAmount: `0.${'0'.repeat(17)}1`, ...NO_BOUNDS },
    ],
    [
      'a unit amount with decimals in jpy',
      { model: 'per_unit', unit_amount: '0.5' },
      'jpy',
      { model: 'per_unit', unitAmount: '0.5', ...NO_BOUNDS },
    ],
    [
      'the largest decimal',
      { model: 'per_unit', unit_amount: `${'9'.repeat(30)}.${'9'.repeat(18)}` },
      'usd',
      { model: 'per_unit', unitAmount: `${'9'.repeat(30)}.${'9'.repeat(18)}`, ...NO_BOUNDS },
    ],
    [
      'leading zeros, made canonical',
      { model: 'per_unit', unit_amount: '007.50' },
      'usd',
      { model: 'per_unit', unitAmount: '7.5', ...NO_BOUNDS },
    ],
    [
      'explicit null bounds',
      { model: 'per_unit', unit_amount: '1', minimum_amount: null, maximum_amount: null },
      'usd',
      { model: 'per_unit', unitAmount: '1', ...NO_BOUNDS },
    ],
    [
      'a minimum and a maximum, canonical',
      { model: 'per_unit', unit_amount: '1', minimum_amount: '5.00', maximum_amount: '100.50' },
      'usd',
      { model: 'per_unit', unitAmount: '1', minimumAmount: '5', maximumAmount: '100.5' },
    ],
    [
      'a minimum equal to the maximum',
      { model: 'per_unit', unit_amount: '1', minimum_amount: '5', maximum_amount: '5' },
      'usd',
      { model: 'per_unit', unitAmount: '1', minimumAmount: '5', maximumAmount: '5' },
    ],
    [
      'a minimum alone',
      { model: 'per_unit', unit_amount: '1', minimum_amount: '0.01' },
      'usd',
      { model: 'per_unit', unitAmount: '1', minimumAmount: '0.01', maximumAmount: null },
    ],
    [
      'a maximum alone, in jpy',
      { model: 'per_unit', unit_amount: '1', maximum_amount: '1000' },
      'jpy',
      { model: 'per_unit', unitAmount: '1', minimumAmount: null, maximumAmount: '1000' },
    ],
    [
      'kwd money with three decimals',
      { model: 'per_unit', unit_amount: '1', minimum_amount: '1.005', maximum_amount: '2.125' },
      'kwd',
      { model: 'per_unit', unitAmount: '1', minimumAmount: '1.005', maximumAmount: '2.125' },
    ],
    [
      'jpy money written with zero decimals',
      { model: 'per_unit', unit_amount: '1', minimum_amount: '100.0' },
      'jpy',
      { model: 'per_unit', unitAmount: '1', minimumAmount: '100', maximumAmount: null },
    ],
    [
      "the issue's graduated tiers",
      graduated(API_TIERS),
      'usd',
      { model: 'graduated', tiers: API_TIERS_DOMAIN, ...NO_BOUNDS },
    ],
    [
      "the issue's tiers as a volume price",
      { model: 'volume', tiers: API_TIERS },
      'usd',
      { model: 'volume', tiers: API_TIERS_DOMAIN, ...NO_BOUNDS },
    ],
    [
      'a default flat amount of "0"',
      graduated([tier('10', '1'), tier(null, '0.5')]),
      'usd',
      {
        model: 'graduated',
        tiers: [
          { upTo: '10', unitAmount: '1', flatAmount: '0' },
          { upTo: null, unitAmount: '0.5', flatAmount: '0' },
        ],
        ...NO_BOUNDS,
      },
    ],
    [
      'tiers with flat amounts, fractional up_to and unit amounts, canonical',
      graduated([
        tier('10.50', '1.000', { flat_amount: '5.00' }),
        tier('10.75', '0.0001'),
        tier(null, '0', { flat_amount: '20' }),
      ]),
      'usd',
      {
        model: 'graduated',
        tiers: [
          { upTo: '10.5', unitAmount: '1', flatAmount: '5' },
          { upTo: '10.75', unitAmount: '0.0001', flatAmount: '0' },
          { upTo: null, unitAmount: '0', flatAmount: '20' },
        ],
        ...NO_BOUNDS,
      },
    ],
    [
      'one open-ended tier',
      { model: 'volume', tiers: [tier(null, '2')] },
      'usd',
      { model: 'volume', tiers: [{ upTo: null, unitAmount: '2', flatAmount: '0' }], ...NO_BOUNDS },
    ],
    [
      'tiers with bounds',
      graduated(API_TIERS, { minimum_amount: '5', maximum_amount: '100' }),
      'usd',
      { model: 'graduated', tiers: API_TIERS_DOMAIN, minimumAmount: '5', maximumAmount: '100' },
    ],
    [
      'jpy flat amounts in whole yen',
      graduated([tier('100', '0.5', { flat_amount: '500' }), tier(null, '0.25')]),
      'jpy',
      {
        model: 'graduated',
        tiers: [
          { upTo: '100', unitAmount: '0.5', flatAmount: '500' },
          { upTo: null, unitAmount: '0.25', flatAmount: '0' },
        ],
        ...NO_BOUNDS,
      },
    ],
    [
      'a package price, rounding up by default',
      pkg(),
      'usd',
      { model: 'package', packageSize: '1000', packageAmount: '5', rounding: 'up', ...NO_BOUNDS },
    ],
    [
      'a package price rounding down',
      pkg({ rounding: 'down', package_amount: '5.50' }),
      'usd',
      { model: 'package', packageSize: '1000', packageAmount: '5.5', rounding: 'down', ...NO_BOUNDS },
    ],
    [
      'a package price rounding up explicitly',
      pkg({ rounding: 'up' }),
      'usd',
      { model: 'package', packageSize: '1000', packageAmount: '5', rounding: 'up', ...NO_BOUNDS },
    ],
    [
      'a fractional package size',
      pkg({ package_size: '0.5' }),
      'usd',
      { model: 'package', packageSize: '0.5', packageAmount: '5', rounding: 'up', ...NO_BOUNDS },
    ],
    [
      'a free package',
      pkg({ package_amount: '0' }),
      'usd',
      { model: 'package', packageSize: '1000', packageAmount: '0', rounding: 'up', ...NO_BOUNDS },
    ],
    [
      'a package price with bounds in kwd',
      pkg({ package_amount: '1.255', minimum_amount: '0.500', maximum_amount: '10' }),
      'kwd',
      {
        model: 'package',
        packageSize: '1000',
        packageAmount: '1.255',
        rounding: 'up',
        minimumAmount: '0.5',
        maximumAmount: '10',
      },
    ],
  ])('%s', (_, input, currency, expected) => {
    expect(accepted(input, currency)).toEqual(expected);
  });

  it(`accepts ${MAX_TIERS} tiers`, () => {
    const tiers = Array.from({ length: MAX_TIERS }, (_, i) => tier(i === MAX_TIERS - 1 ? null : `${i + 1}`));
    const price = accepted(graduated(tiers));
    expect(price.model === 'graduated' && price.tiers).toHaveLength(MAX_TIERS);
  });
});

describe('parsePrice rejects', () => {
  type Case = [string, unknown, string, [string, string][]];
  const table = (cases: Case[]) =>
    it.each<Case>(cases)('%s', (_, input, currency, expected) => {
      expect(rejected(input, currency)).toEqual(
        codes(expected.map(([code, param]) => ({ code, param, message: '' }))),
      );
    });

  describe('price_invalid: shape and types', () => {
    table([
      ['null', null, 'usd', [['price_invalid', 'price']]],
      ['a string', 'per_unit', 'usd', [['price_invalid', 'price']]],
      ['a number', 0.001, 'usd', [['price_invalid', 'price']]],
      ['an array', [{ model: 'per_unit', unit_amount: '1' }], 'usd', [['price_invalid', 'price']]],
      ['no model', { unit_amount: '1' }, 'usd', [['price_invalid', 'price.model']]],
      ['an unknown model', { model: 'tiered', unit_amount: '1' }, 'usd', [['price_invalid', 'price.model']]],
      [
        'a model in upper case',
        { model: 'PER_UNIT', unit_amount: '1' },
        'usd',
        [['price_invalid', 'price.model']],
      ],
      ['a model that is not a string', { model: 1 }, 'usd', [['price_invalid', 'price.model']]],
      [
        'an unknown field',
        { model: 'per_unit', unit_amount: '1', currency: 'usd' },
        'usd',
        [['price_invalid', 'price.currency']],
      ],
      [
        "another model's field (tiers on per_unit)",
        { model: 'per_unit', unit_amount: '1', tiers: API_TIERS },
        'usd',
        [['price_invalid', 'price.tiers']],
      ],
      [
        "another model's field (unit_amount on graduated)",
        graduated(API_TIERS, { unit_amount: '1' }),
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'rounding on volume',
        { model: 'volume', tiers: API_TIERS, rounding: 'up' },
        'usd',
        [['price_invalid', 'price.rounding']],
      ],
      [
        'camelCase fields',
        { model: 'per_unit', unitAmount: '1' },
        'usd',
        [
          ['price_invalid', 'price.unitAmount'],
          ['price_invalid', 'price.unit_amount'],
        ],
      ],
      ['a missing unit_amount', { model: 'per_unit' }, 'usd', [['price_invalid', 'price.unit_amount']]],
      [
        'a null unit_amount',
        { model: 'per_unit', unit_amount: null },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'a number unit_amount (decimals are strings)',
        { model: 'per_unit', unit_amount: 0.001 },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'a whole number unit_amount',
        { model: 'per_unit', unit_amount: 1 },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'a boolean unit_amount',
        { model: 'per_unit', unit_amount: true },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'an object unit_amount',
        { model: 'per_unit', unit_amount: { value: '1' } },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'a negative unit_amount',
        { model: 'per_unit', unit_amount: '-1' },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'an exponent',
        { model: 'per_unit', unit_amount: '1e-3' },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'an empty string',
        { model: 'per_unit', unit_amount: '' },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'surrounding blanks',
        { model: 'per_unit', unit_amount: ' 1' },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'a leading point',
        { model: 'per_unit', unit_amount: '.5' },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'a trailing point',
        { model: 'per_unit', unit_amount: '5.' },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'a plus sign',
        { model: 'per_unit', unit_amount: '+5' },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      ['a comma', { model: 'per_unit', unit_amount: '1,5' }, 'usd', [['price_invalid', 'price.unit_amount']]],
      [
        '31 integer digits',
        { model: 'per_unit', unit_amount: '1'.repeat(31) },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        '19 fraction digits',
        { model: 'per_unit', unit_amount: `0.${'1'.repeat(19)}` },
        'usd',
        [['price_invalid', 'price.unit_amount']],
      ],
      [
        'a number minimum_amount',
        { model: 'per_unit', unit_amount: '1', minimum_amount: 5 },
        'usd',
        [['price_invalid', 'price.minimum_amount']],
      ],
      [
        'a negative maximum_amount',
        { model: 'per_unit', unit_amount: '1', maximum_amount: '-5' },
        'usd',
        [['price_invalid', 'price.maximum_amount']],
      ],
      ['missing tiers', { model: 'graduated' }, 'usd', [['price_invalid', 'price.tiers']]],
      ['null tiers', graduated(null), 'usd', [['price_invalid', 'price.tiers']]],
      ['tiers as an object', graduated({ 0: API_TIERS[0] }), 'usd', [['price_invalid', 'price.tiers']]],
      [
        'a tier that is not an object',
        graduated([tier('10'), 'x', tier(null)]),
        'usd',
        [['price_invalid', 'price.tiers[1]']],
      ],
      ['a null tier', { model: 'volume', tiers: [null] }, 'usd', [['price_invalid', 'price.tiers[0]']]],
      // Not nullable: left out it is 0, null is a wrong type.
      [
        'a null flat amount',
        graduated([tier(null, '1', { flat_amount: null })]),
        'usd',
        [['price_invalid', 'price.tiers[0].flat_amount']],
      ],
      [
        'a null rounding',
        { model: 'package', package_size: '10', package_amount: '1.00', rounding: null },
        'usd',
        [['price_invalid', 'price.rounding']],
      ],
      [
        'an unknown tier field',
        graduated([tier('10', '1', { flat: '1' }), tier(null)]),
        'usd',
        [['price_invalid', 'price.tiers[0].flat']],
      ],
      [
        'a tier without up_to',
        graduated([{ unit_amount: '1' }]),
        'usd',
        [['price_invalid', 'price.tiers[0].up_to']],
      ],
      [
        'a number up_to',
        graduated([tier(1000), tier(null)]),
        'usd',
        [['price_invalid', 'price.tiers[0].up_to']],
      ],
      [
        'a negative up_to',
        graduated([tier('-10'), tier(null)]),
        'usd',
        [['price_invalid', 'price.tiers[0].up_to']],
      ],
      [
        'a tier without unit_amount',
        graduated([{ up_to: null }]),
        'usd',
        [['price_invalid', 'price.tiers[0].unit_amount']],
      ],
      [
        'a number tier unit_amount',
        graduated([tier('10', 0.5), tier(null)]),
        'usd',
        [['price_invalid', 'price.tiers[0].unit_amount']],
      ],
      [
        'a number flat_amount',
        graduated([tier('10', '1', { flat_amount: 5 }), tier(null)]),
        'usd',
        [['price_invalid', 'price.tiers[0].flat_amount']],
      ],
      [
        'a missing package_size',
        pkg({ package_size: undefined }),
        'usd',
        [['price_invalid', 'price.package_size']],
      ],
      [
        'a number package_size',
        pkg({ package_size: 1000 }),
        'usd',
        [['price_invalid', 'price.package_size']],
      ],
      [
        'a missing package_amount',
        pkg({ package_amount: undefined }),
        'usd',
        [['price_invalid', 'price.package_amount']],
      ],
      [
        'a number package_amount',
        pkg({ package_amount: 5 }),
        'usd',
        [['price_invalid', 'price.package_amount']],
      ],
      ['an unknown rounding', pkg({ rounding: 'nearest' }), 'usd', [['price_invalid', 'price.rounding']]],
      ['an upper-case rounding', pkg({ rounding: 'UP' }), 'usd', [['price_invalid', 'price.rounding']]],
      ['a boolean rounding', pkg({ rounding: true }), 'usd', [['price_invalid', 'price.rounding']]],
    ]);
  });

  describe('price_tiers_invalid', () => {
    table([
      ['no tiers', graduated([]), 'usd', [['price_tiers_invalid', 'price.tiers']]],
      ['no volume tiers', { model: 'volume', tiers: [] }, 'usd', [['price_tiers_invalid', 'price.tiers']]],
      [
        `more than ${MAX_TIERS} tiers`,
        graduated(Array.from({ length: MAX_TIERS + 1 }, (_, i) => tier(i === MAX_TIERS ? null : `${i + 1}`))),
        'usd',
        [['price_tiers_invalid', 'price.tiers']],
      ],
      [
        'an up_to equal to the previous one',
        graduated([tier('10'), tier('10'), tier(null)]),
        'usd',
        [['price_tiers_invalid', 'price.tiers[1].up_to']],
      ],
      [
        'an up_to equal to the previous one, written differently',
        graduated([tier('10'), tier('10.000'), tier(null)]),
        'usd',
        [['price_tiers_invalid', 'price.tiers[1].up_to']],
      ],
      [
        'descending up_to',
        { model: 'volume', tiers: [tier('100'), tier('10'), tier(null)] },
        'usd',
        [['price_tiers_invalid', 'price.tiers[1].up_to']],
      ],
      [
        'up_to ascending as text but not as numbers',
        graduated([tier('9'), tier('10'), tier('8'), tier(null)]),
        'usd',
        [['price_tiers_invalid', 'price.tiers[2].up_to']],
      ],
      [
        'an up_to of zero',
        graduated([tier('0'), tier(null)]),
        'usd',
        [['price_tiers_invalid', 'price.tiers[0].up_to']],
      ],
      [
        'an open-ended tier that is not the last',
        graduated([tier(null), tier(null)]),
        'usd',
        [['price_tiers_invalid', 'price.tiers[0].up_to']],
      ],
      [
        'an open-ended tier in the middle, and a closed last tier',
        graduated([tier('10'), tier(null), tier('20')]),
        'usd',
        [
          ['price_tiers_invalid', 'price.tiers[1].up_to'],
          ['price_tiers_invalid', 'price.tiers[2].up_to'],
        ],
      ],
      [
        'a last tier that is not open-ended',
        graduated([tier('10'), tier('20')]),
        'usd',
        [['price_tiers_invalid', 'price.tiers[1].up_to']],
      ],
      [
        'a single closed tier',
        { model: 'volume', tiers: [tier('10')] },
        'usd',
        [['price_tiers_invalid', 'price.tiers[0].up_to']],
      ],
    ]);
  });

  describe('price_package_invalid', () => {
    table([
      [
        'a package_size of zero',
        pkg({ package_size: '0' }),
        'usd',
        [['price_package_invalid', 'price.package_size']],
      ],
      [
        'a package_size of zero with decimals',
        pkg({ package_size: '0.000' }),
        'usd',
        [['price_package_invalid', 'price.package_size']],
      ],
    ]);
  });

  describe('price_amount_precision', () => {
    table([
      [
        'a usd flat_amount with three decimals',
        graduated([tier('10', '1', { flat_amount: '0.001' }), tier(null)]),
        'usd',
        [['price_amount_precision', 'price.tiers[0].flat_amount']],
      ],
      [
        'a jpy flat_amount with decimals',
        graduated([tier('10', '1', { flat_amount: '0.5' }), tier(null)]),
        'jpy',
        [['price_amount_precision', 'price.tiers[0].flat_amount']],
      ],
      [
        'a kwd flat_amount with four decimals',
        { model: 'volume', tiers: [tier(null, '1', { flat_amount: '1.0005' })] },
        'kwd',
        [['price_amount_precision', 'price.tiers[0].flat_amount']],
      ],
      [
        'a usd package_amount with three decimals',
        pkg({ package_amount: '5.001' }),
        'usd',
        [['price_amount_precision', 'price.package_amount']],
      ],
      [
        'a jpy package_amount with decimals',
        pkg({ package_amount: '5.5' }),
        'jpy',
        [['price_amount_precision', 'price.package_amount']],
      ],
      [
        'a usd minimum_amount with three decimals',
        { model: 'per_unit', unit_amount: '1', minimum_amount: '1.005' },
        'usd',
        [['price_amount_precision', 'price.minimum_amount']],
      ],
      [
        'a jpy maximum_amount with decimals',
        { model: 'per_unit', unit_amount: '1', maximum_amount: '100.5' },
        'jpy',
        [['price_amount_precision', 'price.maximum_amount']],
      ],
      [
        'both bounds too precise, not compared',
        { model: 'per_unit', unit_amount: '1', minimum_amount: '2.001', maximum_amount: '1.001' },
        'usd',
        [
          ['price_amount_precision', 'price.minimum_amount'],
          ['price_amount_precision', 'price.maximum_amount'],
        ],
      ],
    ]);
  });

  describe('price_bounds_invalid', () => {
    table([
      [
        'a minimum above the maximum',
        { model: 'per_unit', unit_amount: '1', minimum_amount: '10', maximum_amount: '5' },
        'usd',
        [['price_bounds_invalid', 'price.minimum_amount']],
      ],
      [
        'a minimum above the maximum by one minor unit',
        graduated(API_TIERS, { minimum_amount: '5.01', maximum_amount: '5' }),
        'usd',
        [['price_bounds_invalid', 'price.minimum_amount']],
      ],
      [
        'a minimum above the maximum, compared as numbers (100 > 20)',
        pkg({ minimum_amount: '100', maximum_amount: '20' }),
        'jpy',
        [['price_bounds_invalid', 'price.minimum_amount']],
      ],
    ]);
  });

  it('reports every problem at once', () => {
    expect(
      rejected({
        model: 'graduated',
        tiers: [tier('100', 1, { flat_amount: '0.001' }), tier('50'), tier(null, '1', { extra: 1 })],
        minimum_amount: '10',
        maximum_amount: '5',
        unit_amount: '1',
      }),
    ).toEqual(
      codes([
        { code: 'price_invalid', param: 'price.unit_amount', message: '' },
        { code: 'price_bounds_invalid', param: 'price.minimum_amount', message: '' },
        { code: 'price_invalid', param: 'price.tiers[0].unit_amount', message: '' },
        { code: 'price_amount_precision', param: 'price.tiers[0].flat_amount', message: '' },
        { code: 'price_tiers_invalid', param: 'price.tiers[1].up_to', message: '' },
        { code: 'price_invalid', param: 'price.tiers[2].extra', message: '' },
      ]),
    );
  });

  it('names problems under the given param', () => {
    expect(rejected(graduated([tier('10'), tier('5'), tier(null)]), 'usd', 'items[0].price')).toEqual([
      ['price_tiers_invalid', 'items[0].price.tiers[1].up_to'],
    ]);
    expect(rejected('x', 'usd', 'items[2].price')).toEqual([['price_invalid', 'items[2].price']]);
    expect(rejected(pkg({ package_size: '0', package_amount: '1.001' }), 'usd', 'plan.price')).toEqual([
      ['price_amount_precision', 'plan.price.package_amount'],
      ['price_package_invalid', 'plan.price.package_size'],
    ]);
  });
});

/** Canonical non-negative decimal text, `units` / 10^scale. */
const decimal$ = (maxUnits: bigint, maxScale: number, min = 0n) =>
  fc
    .tuple(fc.bigInt({ min, max: maxUnits }), fc.integer({ min: 0, max: maxScale }))
    .map(([units, scale]) => new ExactDecimal(units.toString()).div(10 ** scale).toFixed());

const CURRENCIES = ['usd', 'eur', 'jpy', 'krw', 'kwd', 'bhd'] as const;

const bounds$ = (digits: number) =>
  fc.tuple(fc.option(decimal$(10n ** 8n, digits)), fc.option(decimal$(10n ** 8n, digits))).map(([a, b]) => {
    if (a !== null && b !== null && new ExactDecimal(a).greaterThan(b)) [a, b] = [b, a];
    return { minimumAmount: a, maximumAmount: b };
  });

const tiers$ = (digits: number) =>
  fc
    .array(
      fc.record({
        step: decimal$(10n ** 9n, 4, 1n),
        unitAmount: decimal$(10n ** 9n, 9),
        flatAmount: decimal$(10n ** 6n, digits),
      }),
      { minLength: 1, maxLength: 6 },
    )
    .map((rows) => {
      let upTo = new ExactDecimal(0);
      return rows.map(({ step, unitAmount, flatAmount }, i) => {
        upTo = upTo.plus(step);
        return { upTo: i === rows.length - 1 ? null : upTo.toFixed(), unitAmount, flatAmount };
      });
    });

/** A valid, canonical price in `currency`. */
const price$ = (currency: string): fc.Arbitrary<Price> => {
  const digits = minorUnitDigits(currency);
  return fc.oneof(
    fc
      .tuple(decimal$(10n ** 12n, 12), bounds$(digits))
      .map(([unitAmount, bounds]): Price => ({ model: 'per_unit', unitAmount, ...bounds })),
    fc
      .tuple(fc.constantFrom('graduated' as const, 'volume' as const), tiers$(digits), bounds$(digits))
      .map(([model, tiers, bounds]): Price => ({ model, tiers, ...bounds })),
    fc
      .tuple(
        decimal$(10n ** 9n, 4, 1n),
        decimal$(10n ** 8n, digits),
        fc.constantFrom('up' as const, 'down' as const),
        bounds$(digits),
      )
      .map(([packageSize, packageAmount, rounding, bounds]): Price => ({
        model: 'package',
        packageSize,
        packageAmount,
        rounding,
        ...bounds,
      })),
  );
};

const currencyAndPrice$ = fc
  .constantFrom(...CURRENCIES)
  .chain((currency) => price$(currency).map((price) => ({ currency, price })));

describe('priceToJson and priceFromJson', () => {
  it('writes the API form', () => {
    expect(
      priceToJson({ model: 'graduated', tiers: API_TIERS_DOMAIN, minimumAmount: '5', maximumAmount: null }),
    ).toEqual({
      model: 'graduated',
      tiers: API_TIERS,
      minimum_amount: '5',
      maximum_amount: null,
    });
    expect(priceToJson(perUnit('0.001'))).toEqual({
      model: 'per_unit',
      unit_amount: '0.001',
      minimum_amount: null,
      maximum_amount: null,
    });
    expect(
      priceToJson({
        model: 'package',
        packageSize: '1000',
        packageAmount: '5',
        rounding: 'down',
        ...NO_BOUNDS,
      }),
    ).toEqual({
      model: 'package',
      package_size: '1000',
      package_amount: '5',
      rounding: 'down',
      minimum_amount: null,
      maximum_amount: null,
    });
  });

  it('reads a stored package price without rounding as rounding up, and missing bounds as none', () => {
    const stored = { model: 'package', package_size: '10', package_amount: '1' } as unknown as PriceJson;
    expect(priceFromJson(stored)).toEqual({
      model: 'package',
      packageSize: '10',
      packageAmount: '1',
      rounding: 'up',
      ...NO_BOUNDS,
    });
  });

  it('round-trips every price: priceFromJson(priceToJson(p)) is p, through JSON text too', () => {
    fc.assert(
      fc.property(currencyAndPrice$, ({ price }) => {
        expect(priceFromJson(priceToJson(price))).toEqual(price);
        expect(priceFromJson(JSON.parse(JSON.stringify(priceToJson(price))) as PriceJson)).toEqual(price);
      }),
      { numRuns: 200 },
    );
  });

  it('parsePrice accepts what priceToJson writes, unchanged', () => {
    fc.assert(
      fc.property(currencyAndPrice$, ({ currency, price }) => {
        expect(accepted(JSON.parse(JSON.stringify(priceToJson(price))), currency)).toEqual(price);
      }),
      { numRuns: 200 },
    );
  });
});
