import { ApiProperty } from '@nestjs/swagger';
import type { PriceJson } from '../domain/price.js';
import { ApiPriceProperty } from './price.dto.js';
import { NON_NEGATIVE_DECIMAL_PATTERN } from '../../common/validation/decorators.js';
import { METRIC_STATUSES, type MetricStatus } from '../billing-metric.entity.js';
import { AGGREGATIONS, TIME_UNITS, type Aggregation, type TimeUnit } from '../domain/aggregation.js';

/** What is measured and its price. */
export class BillingMetric {
  id!: string;
  object!: 'billing_metric';
  name!: string;
  /** The name events carry to count toward this metric. */
  event_name!: string;
  /** How a window's events become one quantity; fixed once created. */
  @ApiProperty({ enum: AGGREGATIONS })
  aggregation!: Aggregation;
  /** A per_unit price's amount per unit, as exact decimal text; null for the other models. */
  @ApiProperty({ type: 'string', pattern: NON_NEGATIVE_DECIMAL_PATTERN, example: '0.001', nullable: true })
  unit_amount!: string | null;
  @ApiPriceProperty({
    required: true,
    description: "How a billing period's quantity becomes money; fixed once created.",
  })
  price!: PriceJson;
  /** ISO 4217, lower case. */
  @ApiProperty({ example: 'usd' })
  currency!: string;
  /** time_duration: the unit durations are counted in; null for other aggregations. */
  @ApiProperty({ enum: [...TIME_UNITS, null], nullable: true })
  time_unit!: TimeUnit | null;
  description!: string | null;
  metadata!: Record<string, string>;
  /** An archived metric takes no more events. */
  @ApiProperty({ enum: METRIC_STATUSES })
  status!: MetricStatus;
  /** ISO 8601. */
  created!: string;
  /** When the metric was archived (ISO 8601), or null while it is active. */
  archived_at!: string | null;
}
