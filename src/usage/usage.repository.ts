import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { BucketState } from './domain/bucket.js';
import {
  toUsageEvent,
  USAGE_EVENT_COLUMNS,
  type MetricUsageEvent,
  type UsageEventRow,
} from './usage-event-row.js';

export interface StoredBucket {
  metricId: string;
  hour: Date;
  state: BucketState;
}

export type TailEvent = MetricUsageEvent;

export interface UsageSnapshot {
  buckets: StoredBucket[];
  /** Events not yet folded that touch the window (by timestamp, or by interval for time_duration). */
  tail: TailEvent[];
  /** For each partial hour at the window's edges, every event touching it, folded or not. */
  edges: { start: Date; end: Date; events: TailEvent[] }[];
}

interface BucketRow {
  metric_id: string;
  hour: Date;
  count: string;
  sum: string;
  markup_sum: string;
  duration_ms: string;
  distinct_values: string[];
}

interface EventRow extends UsageEventRow {
  group_value?: string | null;
}

const EVENT_COLUMNS = USAGE_EVENT_COLUMNS;
const TOUCHES_WINDOW = `(("timestamp" >= $3 AND "timestamp" < $4) OR (start_time < $4 AND end_time > $3))`;

/**
 * A payer's events touching [$3, $4), all statuses, as two index range reads: by timestamp, and
 * (time_duration) by interval end. An OR of the two would read all of the payer's events.
 */
function payerEventsTouching(columns: string, extraFilter: string): string {
  const payer = `merchant_id = $1 AND coalesce(customer_id, account_id) = $2${extraFilter}`;
  return `SELECT id, ${columns} FROM billing_metric_events WHERE ${payer} AND "timestamp" >= $3 AND "timestamp" < $4
    UNION
    SELECT id, ${columns} FROM billing_metric_events
     WHERE ${payer} AND end_time IS NOT NULL AND end_time > $3 AND start_time < $4`;
}

@Injectable()
export class UsageRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * A payer's buckets for the whole hours [start, end) plus the not-yet-folded tail, and every
   * event touching each partial-hour edge, read in one snapshot: the rollup moves events from
   * tail to bucket atomically, so each counts once.
   */
  snapshot(
    merchantId: string,
    payerId: string,
    start: Date,
    end: Date,
    edges: { start: Date; end: Date }[],
    metricId?: string,
  ): Promise<UsageSnapshot> {
    const metricFilter = metricId ? ' AND metric_id = $5' : '';
    const params = [merchantId, payerId, start, end, ...(metricId ? [metricId] : [])];
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const buckets: BucketRow[] = await tx.query(
        `SELECT metric_id, hour, count::text, sum::text, markup_sum::text, duration_ms::text, distinct_values
           FROM usage_buckets
          WHERE merchant_id = $1 AND payer_id = $2 AND hour >= $3 AND hour < $4${metricFilter}`,
        params,
      );
      const tail: EventRow[] = await tx.query(
        `SELECT ${EVENT_COLUMNS} FROM billing_metric_events
          WHERE status = 'logged' AND merchant_id = $1 AND coalesce(customer_id, account_id) = $2
            AND ${TOUCHES_WINDOW}${metricFilter}`,
        params,
      );
      const edgeEvents = [];
      for (const edge of edges) {
        const rows: EventRow[] = await tx.query(payerEventsTouching(EVENT_COLUMNS, metricFilter), [
          merchantId,
          payerId,
          edge.start,
          edge.end,
          ...(metricId ? [metricId] : []),
        ]);
        edgeEvents.push({ ...edge, events: rows.map(toUsageEvent) });
      }
      return {
        edges: edgeEvents,
        buckets: buckets.map((row) => ({
          metricId: row.metric_id,
          hour: row.hour,
          state: {
            count: Number(row.count),
            sum: row.sum,
            markupSum: row.markup_sum,
            durationMs: row.duration_ms,
            distinct: [...row.distinct_values].sort(),
          },
        })),
        tail: tail.map(toUsageEvent),
      };
    });
  }

  /**
   * One metric's raw events touching [start, end), with the value of one metadata key: a
   * breakdown by metadata needs the events themselves, so its cost grows with their number.
   */
  async eventsByMetadata(
    merchantId: string,
    payerId: string,
    start: Date,
    end: Date,
    metricId: string,
    metadataKey: string,
  ): Promise<(TailEvent & { groupValue: string | null })[]> {
    const rows: EventRow[] = await this.db.query(
      payerEventsTouching(`${EVENT_COLUMNS}, metadata ->> $6 AS group_value`, ' AND metric_id = $5'),
      [merchantId, payerId, start, end, metricId, metadataKey],
    );
    return rows.map((row) => ({ ...toUsageEvent(row), groupValue: row.group_value ?? null }));
  }
}
