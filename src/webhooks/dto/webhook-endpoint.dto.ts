import { pageQueryFor } from '../../common/pagination/page-query.dto.js';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  Length,
} from 'class-validator';

export class CreateWebhookEndpointDto {
  /** An http(s) URL; in production it must reach a public address. */
  @IsString()
  @Length(1, 2048)
  url!: string;

  /** Event types to receive, or `["*"]` for all. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  enabled_events!: string[];

  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;
}

export class UpdateWebhookEndpointDto {
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  url?: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  enabled_events?: string[];

  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;

  /** true stops deliveries to the endpoint; false turns it back on (also after a 410 disabled it). */
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class ListWebhookEndpointsQueryDto extends pageQueryFor('webhookEndpoint') {}
