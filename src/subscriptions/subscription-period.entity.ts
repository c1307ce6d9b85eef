import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PlanItem } from './subscription.entity.js';

/**
 * One billing period of a subscription, written once when it opens (the plan it bills, its
 * base-fee invoice) and updated as overage is billed and announced, so that a workflow that
 * runs a step again finds it done.
 */
@Entity({ name: 'subscription_periods' })
export class SubscriptionPeriodEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ name: 'subscription_id', type: 'text' })
  subscriptionId!: string;

  @PrimaryColumn({ name: 'period_index', type: 'int' })
  periodIndex!: number;

  @Column({ name: 'period_start', type: 'timestamptz' })
  periodStart!: Date;

  @Column({ name: 'period_end', type: 'timestamptz' })
  periodEnd!: Date;

  @Column({ name: 'base_amount', type: 'numeric' })
  baseAmount!: string;

  @Column({ type: 'jsonb' })
  items!: PlanItem[];

  @Column({ name: 'base_invoice_id', type: 'text', nullable: true })
  baseInvoiceId!: string | null;

  @Column({ name: 'overage_invoice_ids', type: 'text', array: true, default: () => "'{}'" })
  overageInvoiceIds!: string[];

  /** The usage commitment of the period (the plan's when it opened); null: none. */
  @Column({ name: 'minimum_amount', type: 'numeric', nullable: true })
  minimumAmount!: string | null;

  /** Per metric id, the period's usage as of its last overage bill. */
  @Column({ name: 'billed_usage', type: 'jsonb', default: () => "'{}'::jsonb" })
  billedUsage!: Record<string, string>;

  /** Per metric id, the overage amount invoiced so far in the period (a later bill pays the difference). */
  @Column({ name: 'billed_amounts', type: 'jsonb', default: () => "'{}'::jsonb" })
  billedAmounts!: Record<string, string>;

  /** Metrics whose `billing.subscriber_overage` was sent for this period. */
  @Column({ name: 'overage_notified', type: 'text', array: true, default: () => "'{}'" })
  overageNotified!: string[];

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
