import { IsInstant } from '../../common/validation/decorators.js';
import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { PayerFieldsDto } from '../../payers/dto/payer-fields.dto.js';

/**
 * The event body, for the OpenAPI document only: the ingestion hot path validates events itself
 * (src/metering/domain/event-input.ts), so that a batch reports each event's problems apart.
 */
export class LogEventDoc {
  @ApiPropertyOptional({ description: 'The paying customer (cus_…); exactly one of customer / account.' })
  customer?: string;

  @ApiPropertyOptional({ description: 'The paying account (acct_…); exactly one of customer / account.' })
  account?: string;

  @ApiProperty({ description: "An active billing metric's event_name." })
  event_name!: string;

  @ApiProperty({ description: 'Your idempotency key for this usage, 1–255 characters, unique forever.' })
  reference!: string;

  @ApiPropertyOptional({
    description:
      'sum / average / markup_percentage: a number or decimal string; count_unique: the id of the entity counted; ignored otherwise.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  })
  value?: string | number;

  @ApiPropertyOptional({
    description: 'When the usage happened (ISO 8601); default: when Tally received it.',
  })
  timestamp?: string;

  @ApiPropertyOptional({ description: 'time_duration: start of the interval (ISO 8601).' })
  start_time?: string;

  @ApiPropertyOptional({
    description: 'time_duration: end of the interval (ISO 8601), not before start_time.',
  })
  end_time?: string;

  @ApiPropertyOptional({ description: 'markup_percentage metrics: the markup, 0–1000.' })
  markup_percentage?: number;

  @ApiPropertyOptional({ description: 'Up to 50 string keys (≤ 40 characters) with string values (≤ 500).' })
  metadata?: Record<string, string>;
}

export class LogEventBatchDoc {
  @ApiProperty({ type: [LogEventDoc], description: '1 to 1,000 events.' })
  events!: LogEventDoc[];
}

/** Events filtered by payer (at most one of customer / account), event name, status and time. */
export class ListEventsQueryDto extends IntersectionType(pageQueryFor('event'), PayerFieldsDto) {
  @IsOptional()
  @IsString()
  @Length(1, 255)
  event_name?: string;

  @IsOptional()
  @IsIn(['logged', 'aggregated', 'invoiced', 'paid'])
  status?: 'logged' | 'aggregated' | 'invoiced' | 'paid';

  /** Events whose timestamp is at or after this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  from?: string;

  /** Events whose timestamp is before this instant (ISO 8601). */
  @IsOptional()
  @IsInstant()
  to?: string;
}
