import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CollectionMethod } from '../invoicing/domain/invoice-status.js';
import type { Interval } from './domain/periods.js';
import type { PriceJson } from '../metering/domain/price.js';

export const SUBSCRIPTION_STATUSES = ['active', 'canceled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * One item of a plan: a metric, the quantity the base fee includes, and the overage price
 * (`price`; null: the metric's). `unitAmount` is the per-unit price of items made before prices
 * had models, read as a per_unit price.
 */
export interface PlanItem {
  metricId: string;
  includedQuantity: string;
  unitAmount: string | null;
  price?: PriceJson | null;
}

/** A plan change waiting for the next period. */
export interface PendingPlan {
  baseAmount?: string;
  items?: PlanItem[];
  /** null: no minimum from the next period. */
  minimumAmount?: string | null;
}

@Entity({ name: 'subscriptions' })
@Index('subscriptions_idempotency_key', ['merchantId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
@Index('subscriptions_customer', ['merchantId', 'customerId'], { where: "status = 'active'" })
@Index('subscriptions_unstarted', ['createdAt'], { where: 'workflow_started_at IS NULL' })
export class SubscriptionEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ type: 'text' })
  status!: SubscriptionStatus;

  @Column({ type: 'text' })
  interval!: Interval;

  @Column({ name: 'interval_count', type: 'int' })
  intervalCount!: number;

  @Column({ name: 'base_amount', type: 'numeric' })
  baseAmount!: string;

  /** The period's usage commitment: usage lines totalling less are trued up to it; null: none. */
  @Column({ name: 'minimum_amount', type: 'numeric', nullable: true })
  minimumAmount!: string | null;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'jsonb' })
  items!: PlanItem[];

  @Column({ type: 'jsonb', nullable: true })
  pending!: PendingPlan | null;

  @Column({ name: 'collection_method', type: 'text' })
  collectionMethod!: CollectionMethod;

  @Column({ name: 'payment_method_id', type: 'text', nullable: true })
  paymentMethodId!: string | null;

  /** The first period's start; every period is counted from it (calendar arithmetic, UTC). */
  @Column({ name: 'start_date', type: 'timestamptz' })
  startDate!: Date;

  @Column({ name: 'cancel_at_period_end', type: 'boolean', default: false })
  cancelAtPeriodEnd!: boolean;

  @Column({ name: 'canceled_at', type: 'timestamptz', nullable: true })
  canceledAt!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'current_period_index', type: 'int', nullable: true })
  currentPeriodIndex!: number | null;

  @Column({ name: 'current_period_start', type: 'timestamptz', nullable: true })
  currentPeriodStart!: Date | null;

  @Column({ name: 'current_period_end', type: 'timestamptz', nullable: true })
  currentPeriodEnd!: Date | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'request_hash', type: 'text', nullable: true })
  requestHash!: string | null;

  /** Why its workflow stopped: the code and message of a step that could not succeed; null while it runs. */
  @Column({ name: 'workflow_failure', type: 'jsonb', nullable: true })
  workflowFailure!: { code: string; message: string } | null;

  @Column({ name: 'workflow_started_at', type: 'timestamptz', nullable: true })
  workflowStartedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
