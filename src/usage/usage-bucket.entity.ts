import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One UTC hour of one metric's usage by one payer: what every aggregation needs, kept by the
 * rollup. Written only by hand-written SQL (rollup.repository.ts) that adds deltas in place.
 */
@Entity({ name: 'usage_buckets' })
@Index('usage_buckets_payer_hour_idx', ['merchantId', 'payerId', 'hour'])
export class UsageBucketEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ name: 'metric_id', type: 'text' })
  metricId!: string;

  /** The customer or account id. */
  @PrimaryColumn({ name: 'payer_id', type: 'text' })
  payerId!: string;

  @PrimaryColumn({ type: 'timestamptz' })
  hour!: Date;

  @Column({ type: 'bigint' })
  count!: string;

  @Column({ type: 'numeric' })
  sum!: string;

  @Column({ name: 'markup_sum', type: 'numeric' })
  markupSum!: string;

  @Column({ name: 'duration_ms', type: 'numeric' })
  durationMs!: string;

  /** For count_unique: each distinct value of this hour with the number of events carrying it. */
  @Column({ name: 'distinct_counts', type: 'jsonb', default: () => "'{}'::jsonb" })
  distinctCounts!: Record<string, number>;
}
