import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HOUR_MS, type BucketState } from './domain/bucket.js';
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
  /**
   * The whole hours the buckets and the tail cover: the hours asked for, widened over each edge
   * read from buckets (see `outside`); null when there are none.
   */
  hours: { start: Date; end: Date } | null;
  buckets: StoredBucket[];
  /** Events not yet folded that touch the window (by timestamp, or by interval for time_duration). */
  tail: TailEvent[];
  /** For each other partial hour at the window's edges, every event touching it, folded or not. */
  edges: { start: Date; end: Date; events: TailEvent[] }[];
  /**
   * The parts of `hours` outside the window (beside an edge read from buckets), each with every
   * event touching it, folded or not: their usage is to be taken off those hours' buckets.
   */
  outside: { start: Date; end: Date; events: TailEvent[] }[];
}

/**
 * At most this many events outside an edge (in its hours) are read to subtract from those hours'
 * buckets; past it the edge is read raw, which then costs less or about the same.
 */
export const EDGE_OUTSIDE_EVENTS_MAX = 5000;

const floorHour = (date: Date) => new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);
const ceilHour = (date: Date) => new Date(Math.ceil(date.getTime() / HOUR_MS) * HOUR_MS);

interface BucketRow {
  metric_id: string;
  hour: Date;
  count: string;
  sum: string;
  markup_sum: string;
  duration_ms: string;
  distinct_counts: Record<string, number>;
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
   * A payer's buckets for the whole hours `hours` plus the not-yet-folded tail, and every event
   * touching each partial-hour edge, read in one snapshot: the rollup moves events from tail to
   * bucket atomically, so each counts once.
   *
   * An edge is read raw only when that is the cheaper exact way: otherwise (the usual last edge
   * of a window ending now, whose hour holds millions of a busy payer's events and only the few
   * logged since) its whole hours come from the buckets, and the few events of those hours
   * outside the edge come back in `outside`, for the caller to subtract (buckets count each
   * distinct value's events, so count_unique subtracts too). Raw it stays when those are many.
   */
  snapshot(
    merchantId: string,
    payerId: string,
    hours: { start: Date; end: Date } | null,
    edges: { start: Date; end: Date }[],
    metricId?: string,
  ): Promise<UsageSnapshot> {
    const metricFilter = metricId ? ' AND metric_id = $5' : '';
    const scoped = (start: Date, end: Date) => [
      merchantId,
      payerId,
      start,
      end,
      ...(metricId ? [metricId] : []),
    ];
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      let whole = hours;
      const rawEdges = [];
      const outside: UsageSnapshot['outside'] = [];
      for (const edge of edges) {
        const outer = { start: floorHour(edge.start), end: ceilHour(edge.end) };
        const ranges = [
          { start: outer.start, end: edge.start },
          { start: edge.end, end: outer.end },
        ].filter((range) => range.start < range.end);
        const found = [];
        let subtractable = true;
        for (const range of ranges) {
          const rows: EventRow[] = await tx.query(
            `${payerEventsTouching(EVENT_COLUMNS, metricFilter)} LIMIT ${EDGE_OUTSIDE_EVENTS_MAX + 1}`,
            scoped(range.start, range.end),
          );
          if (rows.length > EDGE_OUTSIDE_EVENTS_MAX) {
            subtractable = false;
            break;
          }
          found.push({ ...range, events: rows.map(toUsageEvent) });
        }
        if (!subtractable) {
          rawEdges.push(edge);
          continue;
        }
        outside.push(...found);
        whole = whole
          ? {
              start: new Date(Math.min(whole.start.getTime(), outer.start.getTime())),
              end: new Date(Math.max(whole.end.getTime(), outer.end.getTime())),
            }
          : outer;
      }
      const none = edges[0]?.start ?? new Date(0);
      const params = whole ? scoped(whole.start, whole.end) : scoped(none, none);
      const buckets: BucketRow[] = await tx.query(
        `SELECT metric_id, hour, count::text, sum::text, markup_sum::text, duration_ms::text, distinct_counts
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
      for (const edge of rawEdges) {
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
        hours: whole,
        edges: edgeEvents,
        outside,
        buckets: buckets.map((row) => ({
          metricId: row.metric_id,
          hour: row.hour,
          state: {
            count: Number(row.count),
            sum: row.sum,
            markupSum: row.markup_sum,
            durationMs: row.duration_ms,
            distinct: row.distinct_counts,
          },
        })),
        tail: tail.map(toUsageEvent),
      };
    });
  }

  /**
   * The payers (customer or account ids, in id order) with usage of one metric that a report of
   * [start, end) reads: a bucket in the hours the window touches, or an event not yet folded
   * touching the window. At most `limit`.
   */
  async payersWithUsage(
    merchantId: string,
    metricId: string,
    start: Date,
    end: Date,
    limit: number,
  ): Promise<string[]> {
    const rows: { payer_id: string }[] = await this.db.query(
      `SELECT payer_id FROM usage_buckets
        WHERE merchant_id = $1 AND metric_id = $2 AND hour >= $5 AND hour < $6
       UNION
       SELECT coalesce(customer_id, account_id) FROM billing_metric_events
        WHERE status = 'logged' AND merchant_id = $1 AND metric_id = $2 AND ${TOUCHES_WINDOW}
       ORDER BY payer_id LIMIT ${Math.trunc(limit)}`,
      [merchantId, metricId, start, end, floorHour(start), ceilHour(end)],
    );
    return rows.map((row) => row.payer_id);
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
