import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isCurrency } from '../money/currency.js';
import { canonicalDecimal } from '../money/decimal.js';

function decorator(
  name: string,
  validate: (value: unknown) => boolean,
  message: string,
  options?: ValidationOptions,
) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: { message, ...options },
      validator: { validate },
    });
}

/** A non-negative exact decimal given as a string ("0.001"). */
export const IsNonNegativeDecimalString = (options?: ValidationOptions) =>
  decorator(
    'isNonNegativeDecimalString',
    (value) => typeof value === 'string' && canonicalDecimal(value) !== null && !value.trim().startsWith('-'),
    '$property must be a non-negative decimal string such as "0.001" (at most 30 integer and 18 fraction digits)',
    options,
  );

/** An ISO 4217 currency code in lower case ("usd"). */
export const IsCurrencyCode = (options?: ValidationOptions) =>
  decorator(
    'isCurrencyCode',
    isCurrency,
    '$property must be an ISO 4217 currency code in lower case, e.g. "usd"',
    options,
  );
