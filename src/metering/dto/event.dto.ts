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

  @ApiPropertyOptional({
    description: `markup_percentage metrics (required there, ignored otherwise): the markup, 0 to ${MAX_MARKUP_PERCENTAGE}, as a number or decimal text.`,
    oneOf: [
      { type: 'number', minimum: 0, maximum: MAX_MARKUP_PERCENTAGE },
      { type: 'string', pattern: decimalAtMostPattern(MAX_MARKUP_PERCENTAGE) },
      NULL_ONLY,
    ],
    example: 20,
  })
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

/** Events filtered by payer (at most one of customer / account), event name, status and time. */
export class ListEventsQueryDto extends IntersectionType(pageQueryFor('event'), PayerFieldsDto) {
  @Optional()
  @IsString()
  @Length(1, 255)
  event_name?: string;

  @Optional()
  @IsIn(EVENT_STATUSES)
  status?: EventStatus;

  /** Events whose timestamp is at or after this instant (ISO 8601). */
  @Optional()
  @IsInstant()
  from?: string;

  /** Events whose timestamp is before this instant (ISO 8601). */
  @Optional()
  @IsInstant()
  to?: string;
}
