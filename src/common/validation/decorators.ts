import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { CURRENCY_CODES, isCurrency } from '../money/currency.js';
import { INSTANT_PATTERN, INSTANT_RULE, parseInstant } from './instant.js';

function decorator(
  name: string,
  validate: (value: unknown) => boolean,
  message: string,
  options?: ValidationOptions,
) {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message, ...options },
      validator: { validate },
    });
}

/** Canonical non-negative decimal text as the API takes it: digits, an optional fraction, nothing else. */
export const NON_NEGATIVE_DECIMAL_PATTERN = '^\\d{1,30}(\\.\\d{1,18})?$';
const NON_NEGATIVE_DECIMAL = new RegExp(NON_NEGATIVE_DECIMAL_PATTERN);

/**
 * A non-negative exact decimal given as a string ("0.001"). The validator and the OpenAPI
 * property come from one decorator, so the document states exactly what is checked.
 */
export const IsNonNegativeDecimalString = (options?: ValidationOptions & { example?: string }) =>
  applyDecorators(
    decorator(
      'isNonNegativeDecimalString',
      (value) => typeof value === 'string' && NON_NEGATIVE_DECIMAL.test(value),
      '$property must be a non-negative decimal string such as "0.001" (at most 30 integer and 18 fraction digits)',
      options,
    ),
    ApiProperty({
      type: 'string',
      pattern: NON_NEGATIVE_DECIMAL_PATTERN,
      example: options?.example ?? '0.001',
    }),
  );

/** An ISO 4217 currency code in lower case ("usd"). */
export const IsCurrencyCode = (options?: ValidationOptions) =>
  applyDecorators(
    decorator(
      'isCurrencyCode',
      isCurrency,
      '$property must be an ISO 4217 currency code in lower case, e.g. "usd"',
      options,
    ),
    ApiProperty({ type: 'string', enum: [...CURRENCY_CODES], example: 'usd' }),
  );

/** A date-time by the one rule of `instant.ts`. */
export const IsInstant = (options?: ValidationOptions) =>
  applyDecorators(
    decorator(
      'isInstant',
      (value) => parseInstant(value) !== null,
      `$property must be ${INSTANT_RULE}`,
      options,
    ),
    ApiProperty({ type: 'string', pattern: INSTANT_PATTERN, example: '2026-11-01T00:00:00Z' }),
  );
