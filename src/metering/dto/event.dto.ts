import { ApiProperty, ApiPropertyOptional, IntersectionType, type SchemaObject } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { ApiExactlyOne } from '../../common/http/openapi/api-contract.js';
import { idPattern, pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { IsInstant } from '../../common/validation/decorators.js';
import { INSTANT_PATTERN } from '../../common/validation/instant.js';
import { PayerFieldsDto } from '../../payers/dto/payer-fields.dto.js';
import { EVENT_STATUSES, type EventStatus } from '../billing-metric-event.entity.js';
import { ApiMetadataProperty } from '../../common/http/openapi/metadata-property.js';
import {
  type EVENT_FIELDS,
  FUTURE_TOLERANCE_MS,
  MAX_ENTITY_ID_LENGTH,
  MAX_EVENT_NAME_LENGTH,
  MAX_MARKUP_PERCENTAGE,
  MAX_REFERENCE_LENGTH,
} from '../domain/event-input.js';
import { MAX_BATCH_EVENTS } from '../ingestion.service.js';
import {
  type AMEND_FIELDS,
  MAX_BATCH_VOIDS,
  MAX_REASON_LENGTH,
  MAX_VERSION,
} from '../domain/event-corrections.js';
import { Optional } from '../../common/validation/optional.js';

/** The digits an API decimal may have, as canonicalDecimal (src/common/money/decimal.ts) reads it. */
const DECIMAL_DIGITS = { integer: 30, fraction: 18 } as const;

/** Decimal text as canonicalDecimal reads it: an optional minus, the digits, an optional fraction. */
const DECIMAL_PATTERN = `^-?\\d{1,${DECIMAL_DIGITS.integer}}(\\.\\d{1,${DECIMAL_DIGITS.fraction}})?$`;

/**
 * The largest number with at most 30 integer digits: the double just below 10^30 (inclusive
 * bounds, which every JSON Schema draft reads alike).
 */
const DECIMAL_BOUND = (() => {
  const bits = new BigInt64Array(new Float64Array([10 ** DECIMAL_DIGITS.integer]).buffer);
  bits[0]! -= 1n;
  return new Float64Array(bits.buffer)[0]!;
})();

/**
 * Non-negative decimal text of at most `max` (a power of ten), leading zeros allowed within the
 * 30 integer digits, so the schema states the range check the validator makes on the number.
 */
function decimalAtMostPattern(max: number): string {
  const text = String(max);
  const zeros = text.length - 1;
  if (!/^10+$/.test(text)) throw new Error(`decimalAtMostPattern takes a power of ten, not ${max}`);
  const { integer, fraction } = DECIMAL_DIGITS;
  return (
    `^(?:0{0,${integer - zeros}}\\d{1,${zeros}}(?:\\.\\d{1,${fraction}})?` +
    `|0{0,${integer - zeros - 1}}${text}(?:\\.0{1,${fraction}})?)$`
  );
}

const SECONDS_AHEAD = FUTURE_TOLERANCE_MS / 1000;
const INSTANT = { type: 'string', pattern: INSTANT_PATTERN, nullable: true } as const;

/** Null as one alternative of a `oneOf` (OpenAPI 3.0 has no `type: "null"`; `nullable` needs a `type`). */
const NULL_ONLY: SchemaObject = { type: 'object', nullable: true, enum: [null] };

/** `value` as an event takes it: its meaning depends on the metric's aggregation. */
const VALUE_PROPERTY = {
  description:
    "What the metric's aggregation makes of it: sum / average / markup_percentage need a number or decimal " +
    `text (at most ${DECIMAL_DIGITS.integer} integer and ${DECIMAL_DIGITS.fraction} fraction digits, e.g. "12.50"); ` +
    `count_unique needs the id of the entity counted (a string of 1 to ${MAX_ENTITY_ID_LENGTH} characters, or a ` +
    'number); count and time_duration ignore it.',
  oneOf: [
    {
      type: 'number',
      description:
        'The quantity (sum / average / markup_percentage), or a number naming the entity (count_unique).',
      minimum: -DECIMAL_BOUND,
      maximum: DECIMAL_BOUND,
    },
    {
      type: 'string',
      description: `The quantity as decimal text matching ${DECIMAL_PATTERN} (sum / average / markup_percentage), or the entity's id (count_unique).`,
      minLength: 1,
      maxLength: MAX_ENTITY_ID_LENGTH,
    },
    NULL_ONLY,
  ],
} satisfies SchemaObject;

/** `markup_percentage` as an event takes it. */
const MARKUP_PROPERTY = {
  description: `markup_percentage metrics (required there, ignored otherwise): the markup, 0 to ${MAX_MARKUP_PERCENTAGE}, as a number or decimal text.`,
  oneOf: [
    { type: 'number', minimum: 0, maximum: MAX_MARKUP_PERCENTAGE },
    { type: 'string', pattern: decimalAtMostPattern(MAX_MARKUP_PERCENTAGE) },
    NULL_ONLY,
  ],
} satisfies SchemaObject;

/**
 * The event body, for the OpenAPI document only: the ingestion hot path validates events itself
 * (src/metering/domain/event-input.ts, with the limits imported here), so that a batch reports
 * each event's problems apart. Its fields are EVENT_FIELDS (checked below); any other is refused
 * (400 `parameter_unknown`). An optional field given as null counts as left out.
 */
@ApiExactlyOne(['customer', 'account'])
export class LogEventDoc {
  @ApiPropertyOptional({
    description: 'The paying customer (cus_…); exactly one of customer / account.',
    pattern: idPattern('customer'),
    example: 'cus_01jdx3k5vq8m2n4p6r8t0w2y4a',
  })
  customer?: string;

  @ApiPropertyOptional({
    description: 'The paying account (acct_…); exactly one of customer / account.',
    pattern: idPattern('account'),
    example: 'acct_01jdx3k5vq8m2n4p6r8t0w2y4a',
  })
  account?: string;

  @ApiProperty({
    description: "An active billing metric's event_name.",
    minLength: 1,
    maxLength: MAX_EVENT_NAME_LENGTH,
    example: 'api_calls',
  })
  event_name!: string;

  @ApiProperty({
    description: `Your idempotency key for this usage, 1–${MAX_REFERENCE_LENGTH} characters, unique forever: a replay answers the original event.`,
    minLength: 1,
    maxLength: MAX_REFERENCE_LENGTH,
    example: 'req_8f14e45f',
  })
  reference!: string;

  @ApiPropertyOptional({
    ...VALUE_PROPERTY,
    example: '12.50',
  })
  value?: number | string | null;

  @ApiPropertyOptional({
    ...INSTANT,
    description: `When the usage happened (ISO 8601), at most ${SECONDS_AHEAD} seconds ahead of the server's clock; default: when Tally received it.`,
    example: '2026-11-24T18:00:00Z',
  })
  timestamp?: string | null;

  @ApiPropertyOptional({
    ...INSTANT,
    description: 'time_duration: start of the interval (ISO 8601).',
    example: '2026-11-24T17:00:00Z',
  })
  start_time?: string | null;

  @ApiPropertyOptional({
    ...INSTANT,
    description: 'time_duration: end of the interval (ISO 8601), not before start_time.',
    example: '2026-11-24T18:00:00Z',
  })
  end_time?: string | null;

  @ApiPropertyOptional({ ...MARKUP_PROPERTY, example: 20 })
  markup_percentage?: number | string | null;

  @ApiMetadataProperty({ nullable: true })
  metadata?: Record<string, string> | null;
}

type EventField = (typeof EVENT_FIELDS)[number];
/** Compiles only while LogEventDoc documents exactly EVENT_FIELDS, the fields the validator knows. */
const _documentsEventFields: [EventField, keyof LogEventDoc] extends [keyof LogEventDoc, EventField]
  ? true
  : never = true;

export class LogEventBatchDoc {
  @ApiProperty({
    type: [LogEventDoc],
    minItems: 1,
    maxItems: MAX_BATCH_EVENTS,
    description: `1 to ${MAX_BATCH_EVENTS} events. Each is checked on its own: a refused one is an item of the 200 answer, not a 400.`,
  })
  events!: LogEventDoc[];
}

const BOOLEAN_TEXT = ['true', 'false'] as const;

/** Events filtered by payer (at most one of customer / account), event name, status, reference and time. */
export class ListEventsQueryDto extends IntersectionType(pageQueryFor('event'), PayerFieldsDto) {
  @Optional()
  @IsString()
  @Length(1, 255)
  event_name?: string;

  @Optional()
  @IsIn(EVENT_STATUSES)
  status?: EventStatus;

  /** Only the event logged with this reference (exact match, 1 to 255 characters, as logging takes it). */
  @Optional()
  @IsString()
  @Length(1, MAX_REFERENCE_LENGTH)
  reference?: string;

  /** Events whose timestamp is at or after this instant (ISO 8601). */
  @Optional()
  @IsInstant()
  from?: string;

  /** Events whose timestamp is before this instant (ISO 8601). */
  @Optional()
  @IsInstant()
  to?: string;

  /** `true`: only voided events; `false`: only events not voided. */
  @Optional()
  @IsIn(BOOLEAN_TEXT)
  voided?: (typeof BOOLEAN_TEXT)[number];

  /** `true`: only events amended at least once; `false`: only events never amended. */
  @Optional()
  @IsIn(BOOLEAN_TEXT)
  amended?: (typeof BOOLEAN_TEXT)[number];
}

const REASON = {
  description: `Why (kept in the event's versions), 1 to ${MAX_REASON_LENGTH} characters.`,
  minLength: 1,
  maxLength: MAX_REASON_LENGTH,
  example: 'double-counted by a retried job',
} as const;

/** The body of a void by id: only an optional reason. */
export class VoidEventDto {
  @ApiPropertyOptional(REASON)
  @Optional()
  @IsString()
  @Length(1, MAX_REASON_LENGTH)
  reason?: string;
}

/** The body of a void by reference: the event's `reference` and an optional reason. */
export class VoidEventByReferenceDto extends VoidEventDto {
  @ApiProperty({
    description: 'The reference the event was logged with.',
    minLength: 1,
    maxLength: MAX_REFERENCE_LENGTH,
    example: 'req_8f14e45f',
  })
  @IsString()
  @Length(1, MAX_REFERENCE_LENGTH)
  reference!: string;
}

/**
 * One void of a batch, for the OpenAPI document only (the batch checks each item on its own, so
 * that a bad item is a rejected item, not a 400): exactly one of `id` / `reference`.
 */
@ApiExactlyOne(['id', 'reference'])
export class VoidBatchItemDoc {
  @ApiPropertyOptional({
    description: 'The event (bme_…); exactly one of id / reference.',
    pattern: idPattern('event'),
    example: 'bme_01jdx3k5vq8m2n4p6r8t0w2y4a',
  })
  id?: string;

  @ApiPropertyOptional({
    description: 'The reference the event was logged with; exactly one of id / reference.',
    minLength: 1,
    maxLength: MAX_REFERENCE_LENGTH,
    example: 'req_8f14e45f',
  })
  reference?: string;

  @ApiPropertyOptional(REASON)
  reason?: string;
}

export class VoidBatchDoc {
  @ApiProperty({
    type: [VoidBatchItemDoc],
    minItems: 1,
    maxItems: MAX_BATCH_VOIDS,
    description: `1 to ${MAX_BATCH_VOIDS} voids. Each is done on its own: a refused one is an item of the 200 answer, not a 400.`,
  })
  voids!: VoidBatchItemDoc[];
}

/**
 * The body of an amendment, for the OpenAPI document only (src/metering/domain/event-corrections.ts
 * checks it, then the amended event is checked as logging checks an event): a patch over the
 * current version. At least one of the content fields; `event_name` and `reference` never change
 * (400 `parameter_unknown`). Null clears start_time, end_time, value, markup_percentage or
 * metadata (and the amended event must still be valid for its metric).
 */
export class AmendEventDoc {
  @ApiPropertyOptional({
    description:
      'A new payer: the customer (cus_…) pays from this version on (the account, if one paid, no longer). At most one of customer / account (400 `payer_conflict`).',
    pattern: idPattern('customer'),
    example: 'cus_01jdx3k5vq8m2n4p6r8t0w2y4a',
  })
  customer?: string;

  @ApiPropertyOptional({
    description:
      'A new payer: the account (acct_…) pays from this version on (the customer, if one paid, no longer). At most one of customer / account (400 `payer_conflict`).',
    pattern: idPattern('account'),
    example: 'acct_01jdx3k5vq8m2n4p6r8t0w2y4a',
  })
  account?: string;

  @ApiPropertyOptional({ ...VALUE_PROPERTY, example: '12.50' })
  value?: number | string | null;

  @ApiPropertyOptional({
    type: 'string',
    pattern: INSTANT_PATTERN,
    description: `When the usage happened (ISO 8601), at most ${SECONDS_AHEAD} seconds ahead of the server's clock.`,
    example: '2026-11-24T18:00:00Z',
  })
  timestamp?: string;

  @ApiPropertyOptional({
    ...INSTANT,
    description: 'time_duration: start of the interval (ISO 8601); null clears it.',
    example: '2026-11-24T17:00:00Z',
  })
  start_time?: string | null;

  @ApiPropertyOptional({
    ...INSTANT,
    description: 'time_duration: end of the interval (ISO 8601), not before start_time; null clears it.',
    example: '2026-11-24T18:00:00Z',
  })
  end_time?: string | null;

  @ApiPropertyOptional({ ...MARKUP_PROPERTY, example: 20 })
  markup_percentage?: number | string | null;

  /** The new metadata, replacing the whole map (null: none). */
  @ApiMetadataProperty({ nullable: true })
  metadata?: Record<string, string> | null;

  @ApiPropertyOptional(REASON)
  reason?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_VERSION,
    description:
      'The version you amend (the `version` you read): if the event has moved on since, 409 `version_conflict` and nothing changes.',
    example: 1,
  })
  expected_version?: number;
}

type AmendDocField = (typeof AMEND_FIELDS)[number];
/** Compiles only while AmendEventDoc documents exactly AMEND_FIELDS, the fields checkAmendment knows. */
const _documentsAmendFields: [AmendDocField, keyof AmendEventDoc] extends [keyof AmendEventDoc, AmendDocField]
  ? true
  : never = true;
