import type { Problem } from '../../common/errors/problems.js';
import { minorUnitDigits } from '../../common/money/currency.js';
import { ExactDecimal } from '../../common/money/decimal.js';

export const PRICE_MODELS = ['per_unit', 'graduated', 'volume', 'package'] as const;

/** Every code `parsePrice` answers, for the routes that take a price to declare. */
export const PRICE_ERROR_CODES = [
  'price_invalid',
  'price_tiers_invalid',
  'price_package_invalid',
  'price_amount_precision',
  'price_bounds_invalid',
] as const;
export type PriceModel = (typeof PRICE_MODELS)[number];

export const PACKAGE_ROUNDINGS = ['up', 'down'] as const;
export type PackageRounding = (typeof PACKAGE_ROUNDINGS)[number];

/** The most tiers a price may have. */
export const MAX_TIERS = 100;

/** One tier: the units above the previous tier's `upTo`, up to and including its own (null: no end). */
export interface Tier {
  upTo: string | null;
  unitAmount: string;
  flatAmount: string;
}

/** The floor and cap of one priced line's amount, in the currency's minor units; null: none. */
export interface PriceBounds {
  minimumAmount: string | null;
  maximumAmount: string | null;
}

/**
 * A price: how the quantity of a whole billing period becomes money. Every model is a member of
 * this union and is rated by its own case in rating.ts, so a new one is a compile error until rated.
 */
export type Price = PriceBounds &
  (
    | { model: 'per_unit'; unitAmount: string }
    | { model: 'graduated'; tiers: Tier[] }
    | { model: 'volume'; tiers: Tier[] }
    | { model: 'package'; packageSize: string; packageAmount: string; rounding: PackageRounding }
  );

/** A price as the API writes it (and as it is stored): decimals as canonical strings. */
export interface PriceJson {
  model: PriceModel;
  unit_amount?: string;
  tiers?: Array<{ up_to: string | null; unit_amount: string; flat_amount: string }>;
  package_size?: string;
  package_amount?: string;
  rounding?: PackageRounding;
  minimum_amount: string | null;
  maximum_amount: string | null;
}

const NO_BOUNDS: PriceBounds = { minimumAmount: null, maximumAmount: null };

/** Today's price and the default: `unitAmount` for each unit. */
export const perUnit = (unitAmount: string): Price => ({ model: 'per_unit', unitAmount, ...NO_BOUNDS });

/** The per-unit amount of a per_unit price, else null (tiered and package prices have none). */
export function unitAmountOf(price: Price): string | null {
  return price.model === 'per_unit' ? price.unitAmount : null;
}

export function priceToJson(price: Price): PriceJson {
  const bounds = { minimum_amount: price.minimumAmount, maximum_amount: price.maximumAmount };
  switch (price.model) {
    case 'per_unit':
      return { model: price.model, unit_amount: price.unitAmount, ...bounds };
    case 'graduated':
    case 'volume':
      return {
        model: price.model,
        tiers: price.tiers.map((tier) => ({
          up_to: tier.upTo,
          unit_amount: tier.unitAmount,
          flat_amount: tier.flatAmount,
        })),
        ...bounds,
      };
    case 'package':
      return {
        model: price.model,
        package_size: price.packageSize,
        package_amount: price.packageAmount,
        rounding: price.rounding,
        ...bounds,
      };
  }
}

/** A stored price (written by `priceToJson` after `parsePrice` accepted it) back into the domain. */
export function priceFromJson(json: PriceJson): Price {
  const bounds = { minimumAmount: json.minimum_amount ?? null, maximumAmount: json.maximum_amount ?? null };
  switch (json.model) {
    case 'per_unit':
      return { model: 'per_unit', unitAmount: json.unit_amount!, ...bounds };
    case 'graduated':
    case 'volume':
      return {
        model: json.model,
        tiers: json.tiers!.map((tier) => ({
          upTo: tier.up_to,
          unitAmount: tier.unit_amount,
          flatAmount: tier.flat_amount,
        })),
        ...bounds,
      };
    case 'package':
      return {
        model: 'package',
        packageSize: json.package_size!,
        packageAmount: json.package_amount!,
        rounding: json.rounding ?? 'up',
        ...bounds,
      };
  }
}

/** Decimal text as prices take it: a string of digits with an optional fraction (no sign, no exponent). */
const DECIMAL = /^\d{1,30}(\.\d{1,18})?$/;

const FIELDS: Record<PriceModel, readonly string[]> = {
  per_unit: ['model', 'unit_amount', 'minimum_amount', 'maximum_amount'],
  graduated: ['model', 'tiers', 'minimum_amount', 'maximum_amount'],
  volume: ['model', 'tiers', 'minimum_amount', 'maximum_amount'],
  package: ['model', 'package_size', 'package_amount', 'rounding', 'minimum_amount', 'maximum_amount'],
};
const TIER_FIELDS = ['up_to', 'unit_amount', 'flat_amount'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a price as a request gives it (at `param`, e.g. "price" or "items[0].price") for
 * `currency`, and answers it canonical, or every problem with its stable code:
 * - `price_invalid`: not an object, an unknown model or field, a missing field, a value of the
 *   wrong type or not a non-negative decimal string;
 * - `price_tiers_invalid`: no tiers, more than 100, `up_to` not strictly ascending or zero,
 *   an open-ended (`up_to: null`) tier that is not the last, or a last tier that is not open-ended;
 * - `price_package_invalid`: a `package_size` of zero;
 * - `price_amount_precision`: money (`flat_amount`, `package_amount`, `minimum_amount`,
 *   `maximum_amount`) with more decimals than the currency's minor unit (unit amounts may have more);
 * - `price_bounds_invalid`: a `minimum_amount` above the `maximum_amount`.
 */
export function parsePrice(
  input: unknown,
  currency: string,
  param = 'price',
): { price: Price; problems: [] } | { price: null; problems: Problem[] } {
  const problems: Problem[] = [];
  const fail = (code: string, at: string, message: string) => problems.push({ code, param: at, message });
  if (!isObject(input)) {
    fail('price_invalid', param, `${param} must be an object with a model`);
    return { price: null, problems };
  }
  const model = input.model;
  if (typeof model !== 'string' || !(PRICE_MODELS as readonly string[]).includes(model)) {
    fail('price_invalid', `${param}.model`, `${param}.model must be one of ${PRICE_MODELS.join(', ')}`);
    return { price: null, problems };
  }
  const known = FIELDS[model as PriceModel];
  for (const key of Object.keys(input)) {
    if (!known.includes(key))
      fail('price_invalid', `${param}.${key}`, `${param}.${key} is not a field of a ${model} price`);
  }
  const digits = minorUnitDigits(currency);
  const decimal = (value: unknown, at: string, options: { money: boolean; required: boolean }) => {
    if (value === undefined || value === null) {
      if (options.required) fail('price_invalid', at, `${at} is required`);
      return null;
    }
    if (typeof value !== 'string' || !DECIMAL.test(value)) {
      fail('price_invalid', at, `${at} must be a non-negative decimal string such as "0.001"`);
      return null;
    }
    const exact = new ExactDecimal(value);
    if (options.money && exact.decimalPlaces() > digits) {
      fail(
        'price_amount_precision',
        at,
        `${at} must be in whole ${currency} minor units (at most ${digits} decimals)`,
      );
      return null;
    }
    return exact.toFixed();
  };

  const minimumAmount = decimal(input.minimum_amount, `${param}.minimum_amount`, {
    money: true,
    required: false,
  });
  const maximumAmount = decimal(input.maximum_amount, `${param}.maximum_amount`, {
    money: true,
    required: false,
  });
  if (
    minimumAmount !== null &&
    maximumAmount !== null &&
    new ExactDecimal(minimumAmount).greaterThan(maximumAmount)
  ) {
    fail(
      'price_bounds_invalid',
      `${param}.minimum_amount`,
      `${param}.minimum_amount must not be above ${param}.maximum_amount`,
    );
  }
  const bounds = { minimumAmount, maximumAmount };

  let price: Price | null = null;
  switch (model as PriceModel) {
    case 'per_unit': {
      const unitAmount = decimal(input.unit_amount, `${param}.unit_amount`, { money: false, required: true });
      if (unitAmount !== null) price = { model: 'per_unit', unitAmount, ...bounds };
      break;
    }
    case 'graduated':
    case 'volume': {
      const tiers = parseTiers(input.tiers, `${param}.tiers`, fail, decimal);
      if (tiers) price = { model: model as 'graduated' | 'volume', tiers, ...bounds };
      break;
    }
    case 'package': {
      const packageSize = decimal(input.package_size, `${param}.package_size`, {
        money: false,
        required: true,
      });
      if (packageSize !== null && new ExactDecimal(packageSize).isZero()) {
        fail(
          'price_package_invalid',
          `${param}.package_size`,
          `${param}.package_size must be more than zero`,
        );
      }
      const packageAmount = decimal(input.package_amount, `${param}.package_amount`, {
        money: true,
        required: true,
      });
      // Left out means up; null is refused like any wrong type (the field is not nullable).
      const rounding = input.rounding === undefined ? 'up' : input.rounding;
      if (!(PACKAGE_ROUNDINGS as readonly unknown[]).includes(rounding)) {
        fail('price_invalid', `${param}.rounding`, `${param}.rounding must be up or down`);
      }
      if (packageSize !== null && packageAmount !== null) {
        price = {
          model: 'package',
          packageSize,
          packageAmount,
          rounding: rounding as PackageRounding,
          ...bounds,
        };
      }
      break;
    }
  }
  return problems.length === 0 && price ? { price, problems: [] } : { price: null, problems };
}

function parseTiers(
  input: unknown,
  param: string,
  fail: (code: string, at: string, message: string) => void,
  decimal: (value: unknown, at: string, options: { money: boolean; required: boolean }) => string | null,
): Tier[] | null {
  if (!Array.isArray(input)) {
    fail('price_invalid', param, `${param} must be an array of tiers`);
    return null;
  }
  if (input.length === 0 || input.length > MAX_TIERS) {
    fail('price_tiers_invalid', param, `${param} must have 1 to ${MAX_TIERS} tiers`);
    return null;
  }
  const tiers: Tier[] = [];
  let valid = true;
  let previous = new ExactDecimal(0);
  input.forEach((raw: unknown, index) => {
    const at = `${param}[${index}]`;
    if (!isObject(raw)) {
      fail('price_invalid', at, `${at} must be an object`);
      valid = false;
      return;
    }
    for (const key of Object.keys(raw)) {
      if (!TIER_FIELDS.includes(key)) {
        fail('price_invalid', `${at}.${key}`, `${at}.${key} is not a field of a tier`);
        valid = false;
      }
    }
    const last = index === input.length - 1;
    let upTo: string | null = null;
    if (!('up_to' in raw)) {
      fail('price_invalid', `${at}.up_to`, `${at}.up_to is required (null for the last tier)`);
      valid = false;
    } else if (raw.up_to === null) {
      if (!last) {
        fail('price_tiers_invalid', `${at}.up_to`, `only the last tier may be open-ended (up_to: null)`);
        valid = false;
      }
    } else {
      upTo = decimal(raw.up_to, `${at}.up_to`, { money: false, required: true });
      if (upTo === null) valid = false;
      else if (!new ExactDecimal(upTo).greaterThan(previous)) {
        fail(
          'price_tiers_invalid',
          `${at}.up_to`,
          `${at}.up_to must be above the previous tier's (tiers ascend)`,
        );
        valid = false;
      } else previous = new ExactDecimal(upTo);
      if (last) {
        fail('price_tiers_invalid', `${at}.up_to`, `the last tier must be open-ended (up_to: null)`);
        valid = false;
      }
    }
    const unitAmount = decimal(raw.unit_amount, `${at}.unit_amount`, { money: false, required: true });
    if (raw.flat_amount === null) {
      fail(
        'price_invalid',
        `${at}.flat_amount`,
        `${at}.flat_amount must be a decimal string, or left out for 0`,
      );
      valid = false;
    }
    const flatAmount = decimal(raw.flat_amount ?? '0', `${at}.flat_amount`, {
      money: true,
      required: true,
    });
    if (unitAmount === null || flatAmount === null) valid = false;
    else tiers.push({ upTo, unitAmount, flatAmount });
  });
  return valid ? tiers : null;
}
