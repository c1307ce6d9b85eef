import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { IsCurrencyCode, IsInstant, IsNonNegativeDecimalString } from '../../common/validation/decorators.js';
import { COLLECTION_METHODS, type CollectionMethod } from '../../invoicing/domain/invoice-status.js';
import { INTERVALS, type Interval } from '../domain/periods.js';

export class SubscriptionItemDto {
  /** A metric id (bm_…) or an active metric's event_name. */
  @IsString()
  @Length(1, 255)
  metric!: string;

  /** What the base fee includes each period. */
  @IsNonNegativeDecimalString()
  included_quantity!: string;

  /** The overage price per unit; default: the metric's unit_amount. */
  @IsOptional()
  @IsNonNegativeDecimalString()
  unit_amount?: string;
}

export class CreateSubscriptionDto {
  @IsString()
  @Length(1, 64)
  customer!: string;

  @IsIn(INTERVALS)
  interval!: Interval;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  interval_count?: number;

  @IsNonNegativeDecimalString()
  base_amount!: string;

  @IsCurrencyCode()
  currency!: string;

  @IsArray()
  @ArrayMinSize(0)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SubscriptionItemDto)
  items!: SubscriptionItemDto[];

  @IsIn(COLLECTION_METHODS)
  collection_method!: CollectionMethod;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  payment_method?: string;

  /** The first period's start (ISO 8601); default: now. Past dates bill the past periods at once. */
  @IsOptional()
  @IsInstant()
  start_date?: string;

  @IsOptional()
  @IsBoolean()
  cancel_at_period_end?: boolean;
}

export class UpdateSubscriptionDto {
  @IsOptional()
  @IsNonNegativeDecimalString()
  base_amount?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SubscriptionItemDto)
  items?: SubscriptionItemDto[];

  @IsOptional()
  @IsBoolean()
  cancel_at_period_end?: boolean;
}

export class CancelSubscriptionDto {
  /** true (default): at the end of the current period, after its overage invoice; false: now. */
  @IsOptional()
  @IsBoolean()
  at_period_end?: boolean;
}

export class ListSubscriptionsQueryDto extends pageQueryFor('subscription') {
  @IsOptional()
  @IsString()
  customer?: string;
}

export class SubscriptionReportQueryDto {
  @IsString()
  @Length(1, 64)
  subscription_id!: string;
}
