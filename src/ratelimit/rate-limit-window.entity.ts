import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One merchant's use of one one-second window of a limit (`requests` or `events`), summed over
 * every API process. UNLOGGED (see the migration): counters a crash may lose, never billing data.
 */
@Entity({ name: 'rate_limit_windows' })
export class RateLimitWindowEntity {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @PrimaryColumn({ type: 'text' })
  scope!: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ type: 'bigint' })
  used!: string;
}
