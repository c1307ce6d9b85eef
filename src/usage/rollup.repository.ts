import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { foldEvents, type BucketState, type UsageEvent } from './domain/bucket.js';
import { toUsageEvent, USAGE_EVENT_COLUMNS, type UsageEventRow } from './usage-event-row.js';

export interface RollupBatch {
  folded: number;
  /** The ingestion position (seq) of the last event folded, or null when there was nothing to fold. */
  lastSeq: string | null;
  lastEventId: string | null;
  /** The distinct payers whose usage this batch folded. */
  payers: Array<{ merchantId: string; payerId: string }>;
}

interface LoggedEventRow extends UsageEventRow {
  merchant_id: string;
  id: string;
  seq: string;
  payer_id: string;
}

const LOGGED_EVENT_COLUMNS = `merchant_id, id, seq, coalesce(customer_id, account_id) AS payer_id, ${USAGE_EVENT_COLUMNS}`;

/** Adds bucket deltas in place; the distinct values are unioned. One row per key per statement. */
const UPSERT_BUCKETS = `
  INSERT INTO usage_buckets AS b (merchant_id, metric_id, payer_id, hour, count, sum, markup_sum, duration_ms, distinct_values)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bigint[], $6::numeric[],
    $7::numeric[], $8::numeric[], $9::jsonb[])
  ON CONFLICT (merchant_id, metric_id, payer_id, hour) DO UPDATE SET
    count = b.count + EXCLUDED.count,
    sum = b.sum + EXCLUDED.sum,
    markup_sum = b.markup_sum + EXCLUDED.markup_sum,
    duration_ms = b.duration_ms + EXCLUDED.duration_ms,
    distinct_values = CASE WHEN EXCLUDED.distinct_values = '[]'::jsonb THEN b.distinct_values ELSE
      (SELECT coalesce(jsonb_agg(DISTINCT v), '[]'::jsonb)
         FROM jsonb_array_elements_text(b.distinct_values || EXCLUDED.distinct_values) AS v) END`;

@Injectable()
export class RollupRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Folds up to `limit` logged events, oldest ingestion first, into their hourly buckets and
   * marks them aggregated, in one transaction: a crash leaves both undone, and running it twice
   * (or concurrently: locked rows are skipped) never folds an event twice.
   */
  rollUpBatch(limit: number): Promise<RollupBatch> {
    return this.db.transaction(async (tx) => {
      const rows: LoggedEventRow[] = await tx.query(
        `SELECT ${LOGGED_EVENT_COLUMNS} FROM billing_metric_events WHERE status = 'logged'
          ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      await this.fold(tx, rows);
      const last = rows.at(-1);
      const payers = new Map(rows.map((row) => [`${row.merchant_id}:${row.payer_id}`, row]));
      return {
        folded: rows.length,
        lastSeq: last?.seq ?? null,
        lastEventId: last?.id ?? null,
        payers: [...payers.values()].map((row) => ({ merchantId: row.merchant_id, payerId: row.payer_id })),
      };
    });
  }

  /**
   * Folds, in the caller's transaction, every logged event of one payer timestamped before
   * `end`, waiting for rows a rollup batch holds: an invoice aggregates its payer's usage first,
   * so the lifecycle stays logged → aggregated → invoiced and no event is missed or folded twice.
   */
  async rollUpPayer(tx: EntityManager, merchantId: string, payerId: string, end: Date): Promise<number> {
    const rows: LoggedEventRow[] = await tx.query(
      `SELECT ${LOGGED_EVENT_COLUMNS} FROM billing_metric_events
        WHERE status = 'logged' AND merchant_id = $1 AND coalesce(customer_id, account_id) = $2 AND "timestamp" < $3
        ORDER BY seq FOR UPDATE`,
      [merchantId, payerId, end],
    );
    await this.fold(tx, rows);
    return rows.length;
  }

  /** Adds the events to their hourly buckets and marks them aggregated. */
  private async fold(tx: EntityManager, rows: LoggedEventRow[]): Promise<void> {
    if (rows.length === 0) return;
    const groups = new Map<
      string,
      { merchantId: string; metricId: string; payerId: string; events: UsageEvent[] }
    >();
    for (const row of rows) {
      const key = `${row.merchant_id}\u0000${row.metric_id}\u0000${row.payer_id}`;
      let group = groups.get(key);
      if (!group) {
        group = { merchantId: row.merchant_id, metricId: row.metric_id, payerId: row.payer_id, events: [] };
        groups.set(key, group);
      }
      group.events.push(toUsageEvent(row));
    }
    const deltas: {
      merchantId: string;
      metricId: string;
      payerId: string;
      hour: Date;
      state: BucketState;
    }[] = [];
    for (const group of groups.values()) {
      for (const [hour, state] of foldEvents(group.events))
        deltas.push({ ...group, hour: new Date(hour), state });
    }
    await tx.query(UPSERT_BUCKETS, [
      deltas.map((d) => d.merchantId),
      deltas.map((d) => d.metricId),
      deltas.map((d) => d.payerId),
      deltas.map((d) => d.hour),
      deltas.map((d) => d.state.count),
      deltas.map((d) => d.state.sum),
      deltas.map((d) => d.state.markupSum),
      deltas.map((d) => d.state.durationMs),
      deltas.map((d) => JSON.stringify(d.state.distinct)),
    ]);
    await tx.query(
      `UPDATE billing_metric_events SET status = 'aggregated', aggregated_at = now()
        WHERE (merchant_id, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [rows.map((r) => r.merchant_id), rows.map((r) => r.id)],
    );
  }

  /** How far the rollup is behind: events not yet folded, and the age of the oldest. */
  async backlog(): Promise<{ loggedEvents: number; oldestReceivedAt: Date | null }> {
    const [row]: { n: string; oldest: Date | null }[] = await this.db.query(
      `SELECT (SELECT count(*) FROM billing_metric_events WHERE status = 'logged') AS n,
              (SELECT received_at FROM billing_metric_events WHERE status = 'logged' ORDER BY seq LIMIT 1) AS oldest`,
    );
    return { loggedEvents: Number(row?.n ?? 0), oldestReceivedAt: row?.oldest ?? null };
  }
}
