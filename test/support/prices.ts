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
