import type { Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty } from '@nestjs/swagger';
import { getSchemaPath } from '@nestjs/swagger';

/**
 * A property that holds an object or null. Written as `Nullable<T>` rather than `T | null` so the
 * swagger plugin derives nothing for it (for `T | null` it emits `nullable` beside an `allOf`
 * `$ref`, which rejects null: the referenced schema is an object) and `ApiNullableObject` alone
 * says what it is.
 */
export type Nullable<T> = T | null;

/** The schema that admits only null (OpenAPI 3.0 has no `type: "null"`). */
const NULL_ONLY = { type: 'object' as const, nullable: true, enum: [null] };

/**
 * The OpenAPI property of a `Nullable<model>`: `anyOf` the model's component or null. The model
 * is registered on the host class, so its component exists wherever the host is used.
 */
export function ApiNullableObject(
  model: Type<unknown>,
  options: { description?: string } = {},
): PropertyDecorator {
  return (target, key) => {
    ApiExtraModels(model)(target.constructor);
    ApiProperty({ ...options, anyOf: [{ $ref: getSchemaPath(model) }, NULL_ONLY] })(target, key);
  };
}
