import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Length,
} from 'class-validator';
import { pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { WEBHOOK_URL_PATTERN } from '../domain/address-policy.js';
import { ENABLED_EVENT_VALUES } from '../domain/event-types.js';
import { Optional } from '../../common/validation/optional.js';

const URL_RULE =
  'An absolute http(s) URL with a host and no credentials (the pattern is its plain form; the ' +
  'check is WHATWG URL parsing). In production (`TALLY_ENV=production`) the host must also be ' +
  'public: an IP literal must not be loopback, private, link-local or reserved (`url_not_allowed`), ' +
  'and a name must resolve (`url_unresolvable`) to public addresses only (`url_not_allowed`).';

const ENABLED_EVENTS_RULE =
  'Event types to receive, or `"*"` for every type (including types added later). Repeats are ' +
  'accepted and stored once; an unknown type is refused with `event_type_unknown`.';

export class CreateWebhookEndpointDto {
  @ApiProperty({
    pattern: WEBHOOK_URL_PATTERN,
    description: URL_RULE,
    example: 'https://example.com/webhooks/tally',
  })
  @IsString()
  @Length(1, 2048)
  url!: string;

  @ApiProperty({
    enum: ENABLED_EVENT_VALUES,
    isArray: true,
    description: ENABLED_EVENTS_RULE,
    example: ['billing.invoice.generated', 'billing.charge.failed'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  enabled_events!: string[];

  /** A note for the merchant's own use; null is the same as leaving it out. */
  @ApiPropertyOptional({ type: 'string', nullable: true, example: 'Production billing events' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string | null;
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({
    pattern: WEBHOOK_URL_PATTERN,
    description: URL_RULE,
    example: 'https://example.com/webhooks/tally',
  })
  @Optional()
  @IsString()
  @Length(1, 2048)
  url?: string;

  @ApiPropertyOptional({
    enum: ENABLED_EVENT_VALUES,
    isArray: true,
    description: ENABLED_EVENTS_RULE,
    example: ['*'],
  })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  enabled_events?: string[];

  /** A note for the merchant's own use; null clears it. */
  @ApiPropertyOptional({ type: 'string', nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string | null;

  /**
   * true stops deliveries to the endpoint; false turns it back on (also after a 410 disabled
   * it). null is taken as false.
   */
  @ApiPropertyOptional({ type: 'boolean', nullable: true })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean | null;
}

export class ListWebhookEndpointsQueryDto extends pageQueryFor('webhookEndpoint') {}
