import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Allow, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { IsCurrencyCode, IsNonNegativeDecimalString } from '../../common/validation/decorators.js';
import { IsMetadata, type Metadata } from '../../common/validation/metadata.js';
import { ApiMetadataProperty } from '../../common/http/openapi/metadata-property.js';
import { METRIC_STATUSES, type MetricStatus } from '../billing-metric.entity.js';
import { AGGREGATIONS, TIME_UNITS, type Aggregation, type TimeUnit } from '../domain/aggregation.js';
import { Optional } from '../../common/validation/optional.js';
import { ApiExactlyOne } from '../../common/http/openapi/api-contract.js';
import { ApiPriceProperty } from './price.dto.js';

/** An optional field given as null counts as left out. */
@ApiExactlyOne(['unit_amount', 'price'])
export class CreateMetricDto {
  /** A display name, e.g. "API calls". */
  @ApiProperty({ example: 'API calls' })
  @IsString()
  @Length(1, 200)
  name!: string;

  /** The name events carry to count toward this metric; unique among your active metrics. */
  @ApiProperty({ example: 'api_calls' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,100}$/, {
    message: 'event_name must be 1 to 100 letters, digits, or the characters _ . : -',
  })
  event_name!: string;

  /** How a window's events become one quantity; fixed once created. */
  @IsIn(AGGREGATIONS)
  aggregation!: Aggregation;

  /**
   * Price per unit of the aggregated quantity, as a decimal string ("0.001"): short for
   * `price: { model: "per_unit", unit_amount }`. Exactly one of unit_amount / price.
   */
  @Optional()
  @IsNonNegativeDecimalString()
  unit_amount?: string;

  @ApiPriceProperty({
    required: false,
    description:
      "How a billing period's quantity becomes money; fixed once created. Exactly one of unit_amount / price. " +
      'Besides its schema, a price answers 400 price_tiers_invalid (tiers not ascending, an open-ended tier not last, ' +
      'or a last tier not open-ended), price_package_invalid (package_size 0), price_amount_precision (flat_amount, ' +
      "package_amount, minimum_amount or maximum_amount with more decimals than the currency's minor unit) and " +
      'price_bounds_invalid (minimum_amount above maximum_amount); price_invalid for a wrong shape.',
  })
  @Allow()
  price?: unknown;

  /** ISO 4217, lower case; default usd. */
  @IsOptional()
  @IsCurrencyCode()
  currency?: string | null;

  /** time_duration only (400 with any other aggregation): the unit durations are counted in; default second. */
  @IsOptional()
  @IsIn(TIME_UNITS)
  time_unit?: TimeUnit | null;

  @ApiPropertyOptional({ example: 'Requests to the public API' })
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  description?: string | null;

  @ApiMetadataProperty({ nullable: true })
  @IsOptional()
  @IsMetadata()
  metadata?: Metadata | null;
}

export class ListMetricsQueryDto extends pageQueryFor('metric') {
  /** Only metrics in this status. */
  @Optional()
  @IsIn(METRIC_STATUSES)
  status?: MetricStatus;
}
