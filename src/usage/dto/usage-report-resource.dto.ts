import { ApiProperty } from '@nestjs/swagger';
import type { PriceJson } from '../../metering/domain/price.js';
import { ApiPriceProperty } from '../../metering/dto/price.dto.js';
import { AGGREGATIONS, type Aggregation } from '../../metering/domain/aggregation.js';

/** A quantity of usage, priced. */
export class UsageQuantity {
  /** The metric's quantity by its aggregation, as exact decimal text ("1250", "3.5"). */
  @ApiProperty({ example: '1250' })
  quantity!: string;

  /**
   * The metric's price applied to this quantity as one billing period (tiers over all of it),
   * rounded once to the currency's minor unit ("12.50").
   */
  @ApiProperty({ example: '12.50' })
  amount!: string;

  /** The events counted. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  event_count!: number;
}

/** The usage in one point of a time series, and what it added to the window's amount. */
export class MetricUsagePoint {
  /** The metric's quantity by its aggregation, as exact decimal text. */
  @ApiProperty({ example: '1250' })
  quantity!: string;

  /**
   * What this period added to the window's amount: the price of the usage from the window's start
   * to this period's end, less the price up to its start (tiers make a period's share depend on the
   * usage before it). The periods' amounts add up to the report's `amount` exactly; negative when
   * a period lowered it (a correction, or a volume price falling into a cheaper tier).
   */
  @ApiProperty({ example: '2.50' })
  amount!: string;

  /** The events counted. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  event_count!: number;
}

/** One metric's usage in the window. */
export class UsageReportMetric extends UsageQuantity {
  /** The billing metric's id (`bm_…`). */
  @ApiProperty({ example: 'bm_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  metric!: string;

  event_name!: string;

  name!: string;

  /** How the metric turns events into its quantity. */
  @ApiProperty({ enum: AGGREGATIONS })
  aggregation!: Aggregation;

  /** A per_unit price's amount per unit, in the currency's major unit (exact decimal text); null for other models. */
  @ApiProperty({ type: 'string', nullable: true, example: '0.01' })
  unit_amount!: string | null;

  @ApiPriceProperty({ required: true, description: "The metric's price." })
  price!: PriceJson;

  /** ISO 4217, lower case. */
  currency!: string;
}

/** The amount of a report's metrics priced in one currency. */
export class UsageReportTotal {
  /** ISO 4217, lower case. */
  currency!: string;

  @ApiProperty({ example: '12.50' })
  amount!: string;
}

/** Whose usage and when: the payer and the window [start, end). */
export class UsageReportHeader {
  customer!: string | null;

  account!: string | null;

  /** ISO 8601; inclusive. */
  start!: string;

  /** ISO 8601; exclusive. */
  end!: string;
}

/** A payer's usage of every metric (active ones, and archived ones with usage), with totals per currency. */
export class UsageReport extends UsageReportHeader {
  object!: 'usage_report';

  @ApiProperty({ type: () => [UsageReportMetric] })
  metrics!: UsageReportMetric[];

  @ApiProperty({ type: () => [UsageReportTotal] })
  totals!: UsageReportTotal[];
}

/** The itemized breakdown: one row per metric with usage in the window (never paged). */
export class UsageEventsReport extends UsageReportHeader {
  object!: 'list';

  @ApiProperty({ type: () => [UsageReportMetric] })
  data!: UsageReportMetric[];

  /** Always false: every row is in `data`. */
  has_more!: boolean;
}

/** One period of a metric's time series: its quantity and its share of the window's amount. */
export class MetricUsagePeriod extends MetricUsagePoint {
  /** ISO 8601; inclusive. */
  start!: string;

  /** ISO 8601; exclusive. */
  end!: string;
}

/** The usage of the events whose `group_by` metadata key has one value (its amount: that quantity priced alone). */
export class MetricUsageGroup extends UsageQuantity {
  /** The metadata value; null for events without the key. */
  value!: string | null;
}

/** One metric's usage in the window, with a time series (`window_size`) and a breakdown (`group_by`) when asked. */
export class MetricUsageReport extends UsageReportMetric {
  object!: 'metric_usage_report';

  /** The customer asked for; null for an account or `payers=all`. */
  customer!: string | null;

  /** The account asked for; null for a customer or `payers=all`. */
  account!: string | null;

  /** `all` when the report adds up every payer's (`payers=all`); absent for one payer. */
  payers?: 'all';

  /** With `payers=all`: how many customers and accounts have events of the metric in the window. */
  @ApiProperty({ type: 'integer', minimum: 0, required: false })
  payer_count?: number;

  /** ISO 8601; inclusive. */
  start!: string;

  /** ISO 8601; exclusive. */
  end!: string;

  /** Present with `series`, as asked. */
  window_size?: 'hour' | 'day';

  /** Every period of the window, oldest first (empty ones too); present when `window_size` was given. */
  @ApiProperty({ type: () => [MetricUsagePeriod], required: false })
  series?: MetricUsagePeriod[];

  /** Present with `groups`, as asked. */
  group_by?: string;

  /** One entry per value of the metadata key; present when `group_by` was given. */
  @ApiProperty({ type: () => [MetricUsageGroup], required: false })
  groups?: MetricUsageGroup[];
}
