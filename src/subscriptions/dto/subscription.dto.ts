import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  IsOptional,
  Matches,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { pageQueryFor } from '../../common/pagination/page-query.dto.js';
import {
  IsCurrencyCode,
  IsInstant,
  IsNonNegativeDecimalString,
  NON_NEGATIVE_DECIMAL_PATTERN,
} from '../../common/validation/decorators.js';
import { ApiPriceProperty } from '../../metering/dto/price.dto.js';
import { COLLECTION_METHODS, type CollectionMethod } from '../../invoicing/domain/invoice-status.js';
import { INTERVALS, type Interval, MAX_INTERVAL_COUNT } from '../domain/periods.js';
import { Optional } from '../../common/validation/optional.js';

export class SubscriptionItemDto {
  /** A metric id (bm_…) or an active metric's event_name. */
  @ApiProperty({ example: 'bm_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @IsString()
  @Length(1, 255)
  metric!: string;

  /** What the base fee includes each period. */
  @IsNonNegativeDecimalString({ example: '1000' })
  included_quantity!: string;

  /** The overage price per unit (short for a per_unit `price`); at most one of unit_amount / price; default: the metric's price. */
  @Optional()
  @IsNonNegativeDecimalString({ example: '0.01' })
  unit_amount?: string;

  @ApiPriceProperty({
    required: false,
    description:
      "The overage price, any model, over the period's whole usage with the first included_quantity units free; " +
      "at most one of unit_amount / price; default: the metric's price. Checked as a metric's price is (same codes).",
  })
  @Allow()
  price?: unknown;
}

export class CreateSubscriptionDto {
  /** The customer billed (cus_…); a subscription is a customer's, never an account's. */
  @ApiProperty({ example: 'cus_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @IsString()
  @Length(1, 64)
  customer!: string;

  @IsIn(INTERVALS)
  interval!: Interval;

  /** Each period lasts this many intervals; default 1. */
  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: MAX_INTERVAL_COUNT, default: 1 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(MAX_INTERVAL_COUNT)
  interval_count?: number;

  /** The base fee of each period, in whole minor units of `currency` (at most 2 decimals for usd). */
  @IsNonNegativeDecimalString({ example: '49.00' })
  base_amount!: string;

  /**
   * A usage commitment per period, in whole minor units of `currency`: when a period's usage
   * lines total less, its last overage invoice adds a minimum_commitment line for the difference.
   */
  @Optional()
  @IsNonNegativeDecimalString({ example: '100.00' })
  minimum_amount?: string;

  @IsCurrencyCode()
  currency!: string;

  /** The metered items, each metric at most once (may be empty: a flat fee). */
  @ApiProperty({ type: () => [SubscriptionItemDto], minItems: 0, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(0)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SubscriptionItemDto)
  items!: SubscriptionItemDto[];

  @IsIn(COLLECTION_METHODS)
  collection_method!: CollectionMethod;

  /** One of the customer's payment methods (pm_…); default: the customer's default payment method. */
  @ApiProperty({ required: false, example: 'pm_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @Optional()
  @IsString()
  @Length(1, 64)
  payment_method?: string;

  /** The first period's start (ISO 8601); default: now. Past dates bill the past periods at once. */
  @Optional()
  @IsInstant()
  start_date?: string;

  @Optional()
  @IsBoolean()
  cancel_at_period_end?: boolean;
}

export class UpdateSubscriptionDto {
  /** The base fee from the next period, in whole minor units of the subscription's currency. */
  @Optional()
  @IsNonNegativeDecimalString({ example: '59.00' })
  base_amount?: string;

  /** The usage commitment from the next period; null: none from the next period. */
  @ApiProperty({
    required: false,
    nullable: true,
    type: 'string',
    pattern: NON_NEGATIVE_DECIMAL_PATTERN,
    example: '100.00',
  })
  @IsOptional()
  @Matches(new RegExp(NON_NEGATIVE_DECIMAL_PATTERN), {
    message: 'minimum_amount must be a non-negative decimal string such as "100.00", or null',
  })
  minimum_amount?: string | null;

  /** The items from the next period (they replace the current ones). */
  @ApiProperty({ required: false, type: () => [SubscriptionItemDto], maxItems: 50 })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SubscriptionItemDto)
  items?: SubscriptionItemDto[];

  @Optional()
  @IsBoolean()
  cancel_at_period_end?: boolean;
}

export class CancelSubscriptionDto {
  /** true (default): at the end of the current period, after its overage invoice; false: now. */
  @Optional()
  @IsBoolean()
  at_period_end?: boolean;
}

export class ListSubscriptionsQueryDto extends pageQueryFor('subscription') {
  /** Only this customer's subscriptions (cus_…). */
  @ApiProperty({ required: false, example: 'cus_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @Optional()
  @IsString()
  @Length(1, 64)
  customer?: string;
}

export class SubscriptionReportQueryDto {
  /** The subscription (sub_…). */
  @ApiProperty({ example: 'sub_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @IsString()
  @Length(1, 64)
  subscription_id!: string;
}
