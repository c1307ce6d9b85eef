import { ApiHeader } from '@nestjs/swagger';

/**
 * The rule `parseIdempotencyKey` (src/common/idempotency/idempotency-key.ts) checks: 1 to 255
 * visible ASCII characters. Restated here because that module keeps its pattern private.
 */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7e]{1,255}$';

/** The optional `Idempotency-Key` header of a create, as its parser takes it. */
export const ApiIdempotencyKeyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes the create safe to retry: the same key with the same body answers the object the first ' +
      'request made; with another body, a 409 idempotency_key_reused.',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY_PATTERN },
  });
