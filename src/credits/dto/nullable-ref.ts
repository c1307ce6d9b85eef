import type { Type } from '@nestjs/common';
import { getSchemaPath } from '@nestjs/swagger';

/**
 * The OpenAPI 3.0 schema of "an object of `type`, or null", for a property declared `OrNull<T>`
 * (registered with ApiExtraModels where it is used).
 *
 * Why not the plugin's `T | null` → `{ type: 'object', nullable: true, allOf: [{ $ref }] }`: by
 * OAS 3.0.3 `nullable` widens only a `type` of its own schema and the $ref's `type: object` still
 * applies, so that schema refuses null (Ajv does). Null is therefore its own oneOf branch, and
 * the property has no `nullable` of its own: Ajv refuses `nullable` without `type`, and Nest
 * drops `type` beside a declared oneOf.
 */
export function nullableRef(type: Type<unknown>) {
  return {
    oneOf: [{ $ref: getSchemaPath(type) }, { type: 'object' as const, nullable: true, enum: [null] }],
  };
}

/**
 * `T | null`, written through an alias so that the CLI plugin (which reads the union syntax)
 * does not add `nullable: true` beside `nullableRef`'s oneOf.
 */
export type OrNull<T> = T | null;
