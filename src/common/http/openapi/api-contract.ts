import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorEnvelope } from './error-envelope.dto.js';

/** The statuses an operation may declare errors under, beyond the ones every operation shares. */
export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 422 | 503;

export type ErrorCodes = Partial<Record<ErrorStatus, readonly string[]>>;

/** The schema of an error answer whose `code` is one of `codes`. */
export function errorSchema(codes: readonly string[]) {
  return {
    allOf: [
      { $ref: getSchemaPath(ErrorEnvelope) },
      {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: { code: { type: 'string', enum: [...new Set(codes)].sort() } },
          },
        },
      },
    ],
  };
}

/** The error answers an operation gives of its own; the shared ones are added to the document for all. */
export function ApiFails(errors: ErrorCodes) {
  return applyDecorators(
    ApiExtraModels(ErrorEnvelope),
    ...Object.entries(errors).map(([status, codes]) =>
      ApiResponse({
        status: Number(status),
        description: `\`${codes.join('`, `')}\``,
        schema: errorSchema(codes),
      }),
    ),
  );
}

/** The success answer and its body. */
export function ApiAnswers(status: 200 | 201, type: Type<unknown>, description?: string) {
  return ApiResponse({ status, type, description: description ?? (status === 201 ? 'Created.' : 'OK.') });
}

const lists = new Map<Type<unknown>, Type<unknown>>();

/** The named schema of a page of `item`s: `{ object: "list", data, has_more }`. */
export function listOf(item: Type<unknown>): Type<unknown> {
  const known = lists.get(item);
  if (known) return known;
  class List {
    @ApiProperty({ enum: ['list'] })
    object!: 'list';

    @ApiProperty({ type: [item] })
    data!: unknown[];

    @ApiProperty({ description: 'Whether a next page exists (ask with starting_after = the last id).' })
    has_more!: boolean;
  }
  Object.defineProperty(List, 'name', { value: `${item.name}List` });
  lists.set(item, List);
  return List;
}

const exactlyOne = new Map<string, readonly string[]>();

/**
 * A body that must carry exactly one of `fields` (customer / account): OpenAPI says it with
 * `oneOf` on the object's schema, which finishDocument adds to the component of this name.
 */
export function ApiExactlyOne(fields: readonly string[]): ClassDecorator {
  return (target) => {
    exactlyOne.set(target.name, fields);
  };
}

/** The schemas marked by ApiExactlyOne, by component name. */
export function exactlyOneFields(): ReadonlyMap<string, readonly string[]> {
  return exactlyOne;
}

/**
 * Marks a write that is safe to send again as it stands (`x-idempotent: true`), beyond the reads
 * and the creates taking an `Idempotency-Key`, which finishDocument marks by rule: event logging,
 * whose required `reference` makes a repeat answer the original event.
 */
export function ApiIdempotent() {
  return ApiExtension('x-idempotent', true);
}
