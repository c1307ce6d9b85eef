import { ApiPropertyOptional } from '@nestjs/swagger';
import { NO_NUL_PATTERN } from '../nul-characters.js';
import { METADATA_LIMITS } from '../../validation/metadata.js';

/**
 * The OpenAPI property of a request `metadata` field, from the limits `IsMetadata` checks. The key
 * rule is JSON Schema's `propertyNames`, which OpenAPI 3.0 tools outside JSON Schema may ignore.
 * `nullable`: the field is optional and null is taken as leaving it out.
 */
export function ApiMetadataProperty(options: { nullable?: boolean } = {}): PropertyDecorator {
  return ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: METADATA_LIMITS.maxValueLength },
    maxProperties: METADATA_LIMITS.maxKeys,
    description:
      `Up to ${METADATA_LIMITS.maxKeys} keys of 1 to ${METADATA_LIMITS.maxKeyLength} characters, ` +
      `each with a string value of at most ${METADATA_LIMITS.maxValueLength} characters; your own.`,
    example: { order: '1042' },
    ...(options.nullable && { nullable: true }),
    // Not in Nest's SchemaObject type; written to the document as given.
    ...({
      propertyNames: { minLength: 1, maxLength: METADATA_LIMITS.maxKeyLength, pattern: NO_NUL_PATTERN },
    } as object),
  });
}
