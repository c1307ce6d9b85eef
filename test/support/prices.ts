import fc from 'fast-check';
import { decimalText, ExactDecimal } from '../../src/common/money/decimal.js';
import { perUnit, type Price, type PriceBounds, type Tier } from '../../src/metering/domain/price.js';

/** Builders of prices of every model for the pricing specs: tiers as [up_to, unit_amount, flat_amount?]. */
export const NO_BOUNDS: PriceBounds = { minimumAmount: null, maximumAmount: null };

export type TierSpec = [upTo: string | null, unitAmount: string, flatAmount?: string];

export const tiersOf = (specs: TierSpec[]): Tier[] =>
  specs.map(([upTo, unitAmount, flatAmount = '0']) => ({ upTo, unitAmount, flatAmount }));

export const graduated = (specs: TierSpec[], bounds: Partial<PriceBounds> = {}): Price => ({
  model: 'graduated',
  tiers: tiersOf(specs),
  ...NO_BOUNDS,
  ...bounds,
});

export const volume = (specs: TierSpec[], bounds: Partial<PriceBounds> = {}): Price => ({
  model: 'volume',
  tiers: tiersOf(specs),
  ...NO_BOUNDS,
  ...bounds,
});

export const pack = (
  packageSize: string,
  packageAmount: string,
  rounding: 'up' | 'down' = 'up',
  bounds: Partial<PriceBounds> = {},
): Price => ({ model: 'package', packageSize, packageAmount, rounding, ...NO_BOUNDS, ...bounds });

export const unit = (unitAmount: string, bounds: Partial<PriceBounds> = {}): Price => ({
  ...perUnit(unitAmount),
  ...bounds,
});

/** Non-negative decimal text with up to `maxScale` fraction digits. */
export const decimal$ = (maxUnits: bigint, maxScale: number, minUnits = 0n) =>
  fc
    .tuple(fc.bigInt({ min: minUnits, max: maxUnits }), fc.integer({ min: 0, max: maxScale }))
    .map(([units, scale]) =>
      new ExactDecimal(units.toString()).div(new ExactDecimal(10).pow(scale)).toFixed(),
    );

/** 1 to 4 ascending tiers, each `step$` above the last, the last open-ended, with flat amounts up to 20. */
export const priceTiers$ = (step$: fc.Arbitrary<string>): fc.Arbitrary<Tier[]> =>
  fc
    .array(
      fc.record({
        step: step$,
        unitAmount: decimal$(10n ** 4n, 4),
        flatAmount: fc.integer({ min: 0, max: 20 }).map(String),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((specs) => {
      let upTo = new ExactDecimal(0);
      return specs.map(({ step, unitAmount, flatAmount }, index) => {
        upTo = upTo.plus(step);
        return { upTo: index === specs.length - 1 ? null : decimalText(upTo), unitAmount, flatAmount };
      });
    });

/** A line minimum and maximum (each maybe absent), the minimum never above the maximum. */
export const priceBounds$: fc.Arbitrary<PriceBounds> = fc
  .tuple(
    fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
    fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
  )
  .map(([a, b]) =>
    a !== null && b !== null
      ? { minimumAmount: String(Math.min(a, b)), maximumAmount: String(Math.max(a, b)) }
      : { minimumAmount: a === null ? null : String(a), maximumAmount: b === null ? null : String(b) },
  );

/** A price as the API stores it (flat amounts and bounds filled in), for a pure oracle to rate. */
export function storedPrice(price: object) {
  const json = JSON.parse(JSON.stringify(price)) as Record<string, unknown> & {
    tiers?: Array<Record<string, unknown>>;
  };
  json.tiers = json.tiers?.map((tier) => ({ flat_amount: '0', ...tier }));
  return { minimum_amount: null, maximum_amount: null, rounding: 'up', ...json } as never;
}
