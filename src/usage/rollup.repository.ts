import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { foldEvents, type BucketState, type UsageEvent } from './domain/bucket.js';
import {
  type AfterCommit,
  type FoldedPayer,
  type FoldSource,
  PipelineEventBus,
} from '../pipeline/pipeline-events.js';
import { toUsageEvent, USAGE_EVENT_COLUMNS, type UsageEventRow } from './usage-event-row.js';

export interface RollupBatch {
  folded: number;
  /** The ingestion position (seq) of the last event folded, or null when there was nothing to fold. */
  lastSeq: string | null;
  lastEventId: string | null;
  /** What the fold's subscribers do once the batch committed. */
  afterCommit: AfterCommit[];
}

interface LoggedEventRow extends UsageEventRow {
  merchant_id: string;
  id: string;
  seq: string;
  payer_id: string;
  /** Set on the rows a correction added: the corrected event. */
  event_id: string | null;
}

const LOGGED_EVENT_COLUMNS = `merchant_id, id, seq, coalesce(customer_id, account_id) AS payer_id, event_id, ${USAGE_EVENT_COLUMNS}`;

/**
 * Adds bucket deltas in place (a reversal's are negative); each distinct value's event count is
 * added, and a value whose count falls to 0 leaves. One row per key per statement.
 */
const UPSERT_BUCKETS = `
  INSERT INTO usage_buckets AS b (merchant_id, metric_id, payer_id, hour, count, sum, markup_sum, duration_ms, distinct_counts)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bigint[], $6::numeric[],
    $7::numeric[], $8::numeric[], $9::jsonb[])
  ON CONFLICT (merchant_id, metric_id, payer_id, hour) DO UPDATE SET
    count = b.count + EXCLUDED.count,
    sum = b.sum + EXCLUDED.sum,
    markup_sum = b.markup_sum + EXCLUDED.markup_sum,
    duration_ms = b.duration_ms + EXCLUDED.duration_ms,
    distinct_counts = CASE WHEN EXCLUDED.distinct_counts = '{}'::jsonb THEN b.distinct_counts ELSE
      (SELECT coalesce(jsonb_object_agg(v.key, v.n), '{}'::jsonb)
         FROM (SELECT key, sum(value::bigint) AS n
                 FROM (SELECT * FROM jsonb_each_text(b.distinct_counts)
                       UNION ALL SELECT * FROM jsonb_each_text(EXCLUDED.distinct_counts)) AS both_counts
                GROUP BY key HAVING sum(value::bigint) <> 0) AS v) END`;

/** Each payer of the rows with the span its events touch (timestamps and intervals). */
function foldedPayers(rows: readonly LoggedEventRow[]): FoldedPayer[] {
  const payers = new Map<string, FoldedPayer>();
  for (const row of rows) {
    const event = toUsageEvent(row);
    const times = [event.timestamp, event.startTime, event.endTime].filter((t): t is Date => t !== null);
    const from = new Date(Math.min(...times.map((t) => t.getTime())));
    const to = new Date(Math.max(...times.map((t) => t.getTime())));
    const key = `${row.merchant_id}\u0000${row.payer_id}`;
    let known = payers.get(key);
    if (!known) payers.set(key, (known = { merchantId: row.merchant_id, payerId: row.payer_id, from, to }));
    else {
      if (from < known.from) known.from = from;
      if (to > known.to) known.to = to;
    }
    if (row.event_id !== null && !known.corrections?.includes(row.event_id))
      known.corrections = [...(known.corrections ?? []), row.event_id];
  }
  return [...payers.values()];
}

@Injectable()
export class RollupRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: PipelineEventBus,
  ) {}

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
      const last = rows.at(-1);
      const folded = await this.fold(tx, rows, { type: 'rollup', id: last?.seq ?? '' });
      return {
        folded: rows.length,
        lastSeq: last?.seq ?? null,
        lastEventId: last?.id ?? null,
        afterCommit: folded.afterCommit,
      };
    });
  }

  /**
   * Folds, in the caller's transaction, every logged event of one payer timestamped before
   * `end`, waiting for rows a rollup batch holds: an invoice aggregates its payer's usage first,
   * so the lifecycle stays logged → aggregated → invoiced and no event is missed or folded twice.
   */
  async rollUpPayer(
    tx: EntityManager,
    merchantId: string,
    payerId: string,
    end: Date,
    source: FoldSource,
  ): Promise<{ folded: number; afterCommit: AfterCommit[] }> {
    const rows: LoggedEventRow[] = await tx.query(
      `SELECT ${LOGGED_EVENT_COLUMNS} FROM billing_metric_events
        WHERE status = 'logged' AND merchant_id = $1 AND coalesce(customer_id, account_id) = $2 AND "timestamp" < $3
        ORDER BY seq FOR UPDATE`,
      [merchantId, payerId, end],
    );
    // The listeners hear of the payer even when nothing was left to fold, then of the last instant
    // before `end` (`end` is exclusive and may open the next window): an invoice settles what its
    // payer's credits owe for the period it closes before it bills.
    const folded = await this.fold(tx, rows, source);
    const last = new Date(end.getTime() - 1);
    const afterCommit =
      rows.length > 0
        ? folded.afterCommit
        : await this.usageFolded(tx, [{ merchantId, payerId, from: last, to: last }], source);
    return { folded: rows.length, afterCommit };
  }

  /**
   * Adds the events to their hourly buckets, marks them aggregated, and tells the fold
   * pipeline (in this transaction, `usage.folded`) which payers' usage moved.
   */
  private async fold(
    tx: EntityManager,
    rows: LoggedEventRow[],
    source: FoldSource,
  ): Promise<{ folded: FoldedPayer[]; afterCommit: AfterCommit[] }> {
    if (rows.length === 0) return { folded: [], afterCommit: [] };
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
    const folded = foldedPayers(rows);
    return { folded, afterCommit: await this.usageFolded(tx, folded, source) };
  }

  /** Publishes the fold in its transaction (credits draw there); answers the after-commit work. */
  private async usageFolded(
    tx: EntityManager,
    payers: FoldedPayer[],
    source: FoldSource,
  ): Promise<AfterCommit[]> {
    if (payers.length === 0) return [];
    return (await this.events.publish(tx, 'usage.folded', { payers, source })).afterCommit;
  }

  /**
   * How far the rollup is behind: events not yet folded, and the age of the oldest; over every
   * merchant, or one merchant's (its part of the backlog, on the payer-keyed logged index).
   */
  async backlog(merchantId?: string): Promise<{ loggedEvents: number; oldestReceivedAt: Date | null }> {
    const waiting = merchantId === undefined ? `status = 'logged'` : `status = 'logged' AND merchant_id = $1`;
    const [row]: { n: string; oldest: Date | null }[] = await this.db.query(
      `SELECT (SELECT count(*) FROM billing_metric_events WHERE ${waiting}) AS n,
              (SELECT received_at FROM billing_metric_events WHERE ${waiting} ORDER BY seq LIMIT 1) AS oldest`,
      merchantId === undefined ? [] : [merchantId],
    );
    return { loggedEvents: Number(row?.n ?? 0), oldestReceivedAt: row?.oldest ?? null };
  }
}
