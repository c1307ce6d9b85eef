import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Aggregation, TimeUnit } from './domain/aggregation.js';
import type { PriceJson } from './domain/price.js';

export const METRIC_STATUSES = ['active', 'archived'] as const;
export type MetricStatus = (typeof METRIC_STATUSES)[number];

/** What is measured and its price; neither `aggregation` nor `price` changes once created. */
@Entity({ name: 'billing_metrics' })
@Index('billing_metrics_active_event_name_key', ['merchantId', 'eventName'], {
  unique: true,
  where: "status = 'active'",
})
export class BillingMetricEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'event_name', type: 'text' })
  eventName!: string;

  @Column({ type: 'text' })
  aggregation!: Aggregation;

  /** How a billing period's quantity becomes money (src/metering/domain/price.ts); fixed once created. */
  @Column({ type: 'jsonb' })
  price!: PriceJson;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ name: 'time_unit', type: 'text', nullable: true })
  timeUnit!: TimeUnit | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  metadata!: Record<string, string>;

  @Column({ type: 'text', default: 'active' })
  status!: MetricStatus;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
