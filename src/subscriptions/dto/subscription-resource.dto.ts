import { ApiProperty } from '@nestjs/swagger';
import type { PriceJson } from '../../metering/domain/price.js';
import { ApiPriceProperty } from '../../metering/dto/price.dto.js';
import { COLLECTION_METHODS, type CollectionMethod } from '../../invoicing/domain/invoice-status.js';
import { ApiNullableObject, type Nullable } from '../../common/http/openapi/nullable.js';
import { WorkflowFailure } from '../../invoicing/dto/workflow-failure-resource.dto.js';
import { INTERVALS, type Interval } from '../domain/periods.js';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../subscription.entity.js';

// Enums, arrays and classes from other files are declared with @ApiProperty as well as typed:
// the in-process test app compiles each file alone (ts-jest), where the plugin cannot see them.

/** One item of a plan: a metric, what the base fee includes of it each period, its overage price. */
export class SubscriptionItem {
  /** The billing metric (`bm_…`). */
  @ApiProperty({ example: 'bm_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  metric!: string;

  /** An exact decimal: the quantity the base fee includes each period. */
  @ApiProperty({ example: '1000' })
  included_quantity!: string;

  /** A per_unit overage price's amount per unit, an exact decimal; null: another model, or the metric's price. */
  @ApiProperty({ type: 'string', nullable: true, example: '0.01' })
  unit_amount!: string | null;

  @ApiPriceProperty({
    required: true,
    nullable: true,
    description: "The item's overage price; null: the metric's price.",
  })
  price!: Nullable<PriceJson>;
}

/** A plan change recorded for the next period. */
export class SubscriptionPendingUpdate {
  /** The next periods' base fee; null: unchanged. */
  base_amount!: string | null;

  /** The next periods' items; null: unchanged. */
  @ApiProperty({ type: () => [SubscriptionItem], nullable: true })
  items!: SubscriptionItem[] | null;

  /** The next periods' usage commitment (null: none); left out when unchanged. */
  @ApiProperty({ required: false, type: 'string', nullable: true, example: '100.00' })
  minimum_amount?: string | null;
}

/** A customer's plan: a base fee each period that includes allotments, and overage billed above them. */
export class Subscription {
  /** The subscription's id (`sub_…`). */
  @ApiProperty({ example: 'sub_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  id!: string;

  object!: 'subscription';

  /** The customer billed (`cus_…`). */
  customer!: string;

  /** `canceled` once canceled now, or once its last period ends with cancel_at_period_end. */
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES })
  status!: SubscriptionStatus;

  @ApiProperty({ enum: INTERVALS })
  interval!: Interval;

  /** Periods last `interval_count` intervals. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  interval_count!: number;

  /** The base fee of each period, in the currency's minor-unit digits. */
  @ApiProperty({ example: '49.00' })
  base_amount!: string;

  /** The usage commitment of each period (a period's usage lines totalling less are trued up to it); null: none. */
  @ApiProperty({ type: 'string', nullable: true, example: '100.00' })
  minimum_amount!: string | null;

  /** ISO 4217, lower case. */
  @ApiProperty({ example: 'usd' })
  currency!: string;

  @ApiProperty({ type: () => [SubscriptionItem] })
  items!: SubscriptionItem[];

  /** The plan change that applies from the next period; null when none is recorded. */
  @ApiNullableObject(SubscriptionPendingUpdate)
  pending_update!: Nullable<SubscriptionPendingUpdate>;

  @ApiProperty({ enum: COLLECTION_METHODS })
  collection_method!: CollectionMethod;

  /** The payment method its invoices are charged with (`pm_…`); null: the customer's default. */
  payment_method!: string | null;

  /** ISO 8601; the first period's start, from which every period is counted. */
  start_date!: string;

  /** ISO 8601; null until the first period opens. */
  current_period_start!: string | null;

  /** ISO 8601; null until the first period opens. */
  current_period_end!: string | null;

  /** It ends with the current period (after that period's overage invoice). */
  cancel_at_period_end!: boolean;

  /** ISO 8601. */
  canceled_at!: string | null;

  /** ISO 8601; when its last period was billed and it stopped. */
  ended_at!: string | null;

  /** ISO 8601. */
  created!: string;

  /** Why the subscription's workflow stopped on a step that cannot succeed; null otherwise. */
  @ApiNullableObject(WorkflowFailure)
  workflow_failure!: Nullable<WorkflowFailure>;
}

/** What "bill now" did: the subscription after it, and the overage invoice it made. */
export class SubscriptionBillNowResult {
  subscription!: Subscription;

  /** The overage invoice made (`inv_…`); null when there was no overage to bill. */
  invoice!: string | null;
}

/** One item of the current period: usage against its allotment. */
export class SubscriptionUsageReportItem {
  /** The billing metric (`bm_…`). */
  metric!: string;

  /** The metric's name. */
  name!: string;

  /** The quantity used so far this period, an exact decimal. */
  @ApiProperty({ example: '1250' })
  used!: string;

  /** The quantity the base fee includes. */
  @ApiProperty({ example: '1000' })
  included!: string;

  /** used − included, never negative. */
  @ApiProperty({ example: '250' })
  overage_quantity!: string;

  /** A per_unit overage price's amount per unit; null for other models. */
  @ApiProperty({ type: 'string', nullable: true, example: '0.01' })
  unit_amount!: string | null;

  @ApiPriceProperty({ required: true, description: 'The overage price.' })
  price!: PriceJson;

  /**
   * The overage of the period so far at its price: the period's usage priced with its first
   * included units free (tiers over the whole period), rounded once to the currency's minor unit.
   */
  @ApiProperty({ example: '2.50' })
  overage_amount!: string;
}

/** One item as the subscription's workflow last measured it. */
export class SubscriptionWorkflowItemState {
  /** The billing metric (`bm_…`). */
  metric!: string;

  used!: string;

  included!: string;

  overage!: string;
}

/** The subscription workflow's own account of its period (its `state` query, as it names the fields). */
export class SubscriptionWorkflowState {
  /** The period the workflow's current run bills (0 = the first). */
  @ApiProperty({ type: 'integer', minimum: 0 })
  periodIndex!: number;

  /** ISO 8601; null until the period is opened. */
  periodStart!: string | null;

  /** ISO 8601. */
  periodEnd!: string | null;

  /** ISO 8601; when the period's overage invoice is due. */
  nextInvoiceAt!: string | null;

  @ApiProperty({ type: () => [SubscriptionWorkflowItemState] })
  usage!: SubscriptionWorkflowItemState[];

  /** The invoices this run started (`inv_…`). */
  @ApiProperty({ type: [String] })
  invoices!: string[];

  canceling!: boolean;

  /** A plan change is recorded and applies from the next period. */
  planChangePending!: boolean;
}

/** The current period of a subscription: usage against allotments, overage so far, base fee. */
export class SubscriptionUsageReport {
  object!: 'subscription_usage_report';

  /** The subscription (`sub_…`). */
  subscription!: string;

  /** Its customer (`cus_…`). */
  customer!: string;

  /** ISO 4217, lower case. */
  @ApiProperty({ example: 'usd' })
  currency!: string;

  /** ISO 8601. */
  period_start!: string;

  /** ISO 8601. */
  period_end!: string;

  /** ISO 8601; the usage counted is up to this moment (now, or the period end once it passed). */
  as_of!: string;

  /** The period's base fee, in the currency's minor-unit digits. */
  @ApiProperty({ example: '49.00' })
  base_amount!: string;

  /** The period's usage commitment; null: none. */
  @ApiProperty({ type: 'string', nullable: true, example: '100.00' })
  minimum_amount!: string | null;

  @ApiProperty({ type: () => [SubscriptionUsageReportItem] })
  items!: SubscriptionUsageReportItem[];

  /** The sum of the items' overage amounts. */
  @ApiProperty({ example: '2.50' })
  overage_amount!: string;

  /** The workflow's own state; null when it cannot answer now (not running, unreachable). */
  @ApiNullableObject(SubscriptionWorkflowState)
  workflow!: Nullable<SubscriptionWorkflowState>;
}
