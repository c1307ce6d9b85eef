import type { Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';

/**
 * `T | null` for an object property, written through an alias so that the swagger CLI plugin
 * (which reads the union syntax) derives nothing for it: for `T | null` it emits `nullable`
 * beside an `allOf` `$ref`, and by OAS 3.0.3 `nullable` widens only a `type` of its own schema,
 * so the referenced `type: object` still refuses null (Ajv does). `nullableRef` states it instead.
 */
export type Nullable<T> = T | null;

/** The schema that admits only null (OpenAPI 3.0 has no `type: "null"`). */
const NULL_ONLY = { type: 'object' as const, nullable: true, enum: [null] };

/**
 * The schema of "an object of `model`, or null": null is its own oneOf branch, and the property
 * has no `nullable` of its own (Ajv refuses `nullable` without `type`, and Nest drops `type`
 * beside a declared oneOf). The model must be registered (ApiExtraModels) where it is used.
 */
export function nullableRef(model: Type<unknown>) {
  return { oneOf: [{ $ref: getSchemaPath(model) }, NULL_ONLY] };
}

/** A response property of type `Nullable<model>`, registering the model's component on the host class. */
export function ApiNullableObject(
  model: Type<unknown>,
  options: { description?: string } = {},
): PropertyDecorator {
  return (target, key) => {
    ApiExtraModels(model)(target.constructor);
    ApiProperty({ ...options, ...nullableRef(model) })(target, key);
  };
}
