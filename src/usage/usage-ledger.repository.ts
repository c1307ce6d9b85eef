import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { groupBy } from '../common/collections/group-by.js';
import { decimalText, ExactDecimal } from '../common/money/decimal.js';
import { emptyBucket, type BucketState } from './domain/bucket.js';
import {
  CORRECTS_INVOICE_COLUMN,
  toUsageEvent,
  USAGE_EVENT_COLUMNS,
  type MetricUsageEvent,
  type UsageEventRow,
} from './usage-event-row.js';

/** The events an invoice took, grouped by metric: those of its window and late ones from earlier windows. */
export interface ClaimedUsage {
  window: Map<string, MetricUsageEvent[]>;
  late: Map<string, MetricUsageEvent[]>;
  /** The windows of the payer's other live claims that late events fall in (empty without late events). */
  earlierWindows: Array<{ start: Date; end: Date }>;
}

/** Events of one metric's billing period that given invoices billed. */
export interface BilledEventsQuery {
  merchantId: string;
  payerId: string;
  metricId: string;
  start: Date;
  end: Date;
  invoiceIds: string[];
}

/** What a billing invoice claims: its payer's usage of `metricIds` (one currency) in [start, end). */
export interface InvoiceClaim {
  merchantId: string;
  invoiceId: string;
  payerId: string;
  metricIds: string[];
  start: Date;
  end: Date;
}

/** What a subscription period's invoice claims: the payer's usage of its items' metrics in [start, end). */
export interface PeriodClaim {
  merchantId: string;
  payerId: string;
  metricIds: string[];
  start: Date;
  end: Date;
  invoiceId: string;
  /** The invoice is paid already (a zero total): the events go straight to `paid`. */
  paid: boolean;
}

/** One metric's folded usage over a span of hours, merged from its hourly buckets. */
export interface MetricWindowUsage {
  metricId: string;
  state: BucketState;
}

const RETURNED_EVENT_COLUMNS = USAGE_EVENT_COLUMNS.split(', ')
  .map((column) => `e.${column}`)
  .join(', ');

/** Counts as PostgreSQL answered them (numbers or numeric text), keyed in sorted order. */
function sortedCounts(counts: Record<string, number | string>): Record<string, number> {
  return Object.fromEntries(
    Object.keys(counts)
      .sort()
      .map((value) => [value, Number(counts[value])]),
  );
}

const byMetric = (events: MetricUsageEvent[]) => groupBy(events, (event) => event.metricId);

/** The SQL of the usage ledger: event lifecycle changes, its claims, and bucket reads for billing. */
@Injectable()
export class UsageLedgerRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Marks as invoiced (by this invoice) the payer's aggregated, not yet invoiced events of the
   * metrics: those timestamped in the window, and late ones timestamped before it that fall in a
   * window another live claim of the payer already took; then records this claim. Row locks
   * make a concurrent invoice skip what this one took, so an event is invoiced at most once.
   */
  async claimForInvoice(tx: EntityManager, claim: InvoiceClaim): Promise<ClaimedUsage> {
    const take = async (condition: string, window: Date[]): Promise<MetricUsageEvent[]> => {
      if (claim.metricIds.length === 0) return [];
      const [rows]: [UsageEventRow[], number] = await tx.query(
        `UPDATE billing_metric_events e SET status = 'invoiced', invoice_id = $2
          WHERE e.merchant_id = $1 AND coalesce(e.customer_id, e.account_id) = $3
            AND e.status = 'aggregated' AND e.invoice_id IS NULL
            AND e.metric_id = ANY($4::text[])
            AND ${condition}
        RETURNING ${RETURNED_EVENT_COLUMNS}, ${CORRECTS_INVOICE_COLUMN}`,
        [claim.merchantId, claim.invoiceId, claim.payerId, claim.metricIds, ...window],
      );
      return rows.map(toUsageEvent);
    };
    const window = await take('e."timestamp" >= $5 AND e."timestamp" < $6', [claim.start, claim.end]);
    const late = await take(
      `e."timestamp" < $5 AND EXISTS (
         SELECT 1 FROM usage_claims c
          WHERE c.merchant_id = $1 AND c.payer_id = $3 AND c.invoice_id <> $2 AND c.released_at IS NULL
            AND e."timestamp" >= c.period_start AND e."timestamp" < c.period_end)`,
      [claim.start],
    );
    const earlierWindows: Array<{ period_start: Date; period_end: Date }> =
      late.length === 0
        ? []
        : await tx.query(
            `SELECT DISTINCT period_start, period_end FROM usage_claims
              WHERE merchant_id = $1 AND payer_id = $2 AND invoice_id <> $3 AND released_at IS NULL
                AND period_start < $4`,
            [claim.merchantId, claim.payerId, claim.invoiceId, claim.start],
          );
    await tx.query(
      `INSERT INTO usage_claims (merchant_id, invoice_id, payer_id, period_start, period_end)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (merchant_id, invoice_id) DO NOTHING`,
      [claim.merchantId, claim.invoiceId, claim.payerId, claim.start, claim.end],
    );
    return {
      window: byMetric(window),
      late: byMetric(late),
      earlierWindows: earlierWindows.map((row) => ({ start: row.period_start, end: row.period_end })),
    };
  }

  /**
   * Serializes the billing of one payer's usage until the transaction ends: an invoice prices
   * its lines against what earlier invoices billed of the same periods, which a concurrent one
   * must not be pricing at the same time.
   */
  async lockPayerBilling(tx: EntityManager, merchantId: string, payerId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `usage-billing/${merchantId}/${payerId}`,
    ]);
  }

  /**
   * The state of the events of one metric's period that the invoices billed, as an invoice counts
   * them (a time_duration event's whole interval), summed by PostgreSQL.
   */
  async billedState(tx: EntityManager, query: BilledEventsQuery): Promise<BucketState> {
    if (query.invoiceIds.length === 0) return emptyBucket();
    const states = await this.aggregate(
      tx,
      `metric_id = $3 AND "timestamp" >= $4 AND "timestamp" < $5 AND invoice_id = ANY($6::text[])`,
      [query.merchantId, query.payerId, query.metricId, query.start, query.end, query.invoiceIds],
    );
    return states.get(query.metricId) ?? emptyBucket();
  }

  /**
   * Per metric, the state of the payer's events in [start, end) that no invoice took yet (logged
   * or aggregated), as an invoice would count them: exact, from the raw events.
   */
  unbilledState(
    tx: EntityManager,
    query: { merchantId: string; payerId: string; metricIds: string[]; start: Date; end: Date },
  ): Promise<Map<string, BucketState>> {
    if (query.metricIds.length === 0) return Promise.resolve(new Map());
    return this.aggregate(
      tx,
      `metric_id = ANY($3::text[]) AND "timestamp" >= $4 AND "timestamp" < $5 AND invoice_id IS NULL`,
      [query.merchantId, query.payerId, query.metricIds, query.start, query.end],
    );
  }

  /**
   * Per metric, the state of the payer's events in [start, end) that invoices took (through the
   * partial index of taken events, so a window nothing took costs one index probe).
   */
  takenState(
    tx: EntityManager,
    query: { merchantId: string; payerId: string; start: Date; end: Date },
  ): Promise<Map<string, BucketState>> {
    return this.aggregate(tx, `"timestamp" >= $3 AND "timestamp" < $4 AND invoice_id IS NOT NULL`, [
      query.merchantId,
      query.payerId,
      query.start,
      query.end,
    ]);
  }

  /**
   * The payer's events of `metricIds` before `before` that no invoice took yet but that fall in a
   * window a live claim took (late usage the next invoice bills), with those claims' windows.
   */
  async pendingLate(
    tx: EntityManager,
    query: { merchantId: string; payerId: string; metricIds: string[]; before: Date },
  ): Promise<{ events: MetricUsageEvent[]; earlierWindows: Array<{ start: Date; end: Date }> }> {
    if (query.metricIds.length === 0) return { events: [], earlierWindows: [] };
    const rows: UsageEventRow[] = await tx.query(
      `SELECT ${RETURNED_EVENT_COLUMNS}, ${CORRECTS_INVOICE_COLUMN} FROM billing_metric_events e
        WHERE e.merchant_id = $1 AND coalesce(e.customer_id, e.account_id) = $2
          AND e.invoice_id IS NULL AND e.metric_id = ANY($3::text[]) AND e."timestamp" < $4
          AND EXISTS (
            SELECT 1 FROM usage_claims c
             WHERE c.merchant_id = $1 AND c.payer_id = $2 AND c.released_at IS NULL
               AND e."timestamp" >= c.period_start AND e."timestamp" < c.period_end)`,
      [query.merchantId, query.payerId, query.metricIds, query.before],
    );
    if (rows.length === 0) return { events: [], earlierWindows: [] };
    const windows: Array<{ period_start: Date; period_end: Date }> = await tx.query(
      `SELECT DISTINCT period_start, period_end FROM usage_claims
        WHERE merchant_id = $1 AND payer_id = $2 AND released_at IS NULL AND period_start < $3`,
      [query.merchantId, query.payerId, query.before],
    );
    return {
      events: rows.map(toUsageEvent),
      earlierWindows: windows.map((row) => ({ start: row.period_start, end: row.period_end })),
    };
  }

  /**
   * Per metric, the state of the payer's events matching `where` (params from $3), as an invoice
   * counts them, net of reversals (a reversal row counts negatively).
   */
  private async aggregate(
    tx: EntityManager,
    where: string,
    params: unknown[],
  ): Promise<Map<string, BucketState>> {
    const rows: Array<{
      metric_id: string;
      count: string;
      sum: string;
      markup_product: string;
      duration_ms: string;
      distinct_counts: Record<string, number> | null;
    }> = await tx.query(
      `WITH matching AS (
         SELECT metric_id, sign, value, markup_percentage, unique_value,
                CASE WHEN end_time > start_time THEN extract(epoch FROM end_time - start_time) * 1000 ELSE 0 END AS ms
           FROM billing_metric_events
          WHERE merchant_id = $1 AND coalesce(customer_id, account_id) = $2 AND ${where}
       )
       SELECT metric_id, sum(sign)::text AS count, coalesce(sum(sign * value), 0)::text AS sum,
              coalesce(sum(sign * value * markup_percentage), 0)::text AS markup_product,
              coalesce(sum(sign * ms), 0)::text AS duration_ms,
              (SELECT jsonb_object_agg(u.unique_value, u.n)
                 FROM (SELECT unique_value, sum(sign) AS n FROM matching m
                        WHERE m.metric_id = t.metric_id AND unique_value IS NOT NULL
                        GROUP BY unique_value HAVING sum(sign) <> 0) AS u) AS distinct_counts
         FROM matching t
        GROUP BY metric_id`,
      params,
    );
    return new Map(
      rows.map((row) => [
        row.metric_id,
        {
          count: Number(row.count),
          sum: decimalText(new ExactDecimal(row.sum)),
          // Σ value × pct / 100 exactly: the division once, in decimal.js, not in numeric's scale.
          markupSum: decimalText(new ExactDecimal(row.markup_product).div(100)),
          durationMs: decimalText(new ExactDecimal(row.duration_ms)),
          distinct: sortedCounts(row.distinct_counts ?? {}),
        },
      ]),
    );
  }

  /** Marks the payer's aggregated, not yet invoiced events of the metrics in [start, end) as billed by the invoice. */
  async claimForPeriod(tx: EntityManager, claim: PeriodClaim): Promise<void> {
    if (claim.metricIds.length === 0) return;
    await tx.query(
      `UPDATE billing_metric_events SET status = $7, invoice_id = $6
        WHERE merchant_id = $1 AND coalesce(customer_id, account_id) = $2 AND metric_id = ANY($3::text[])
          AND "timestamp" >= $4 AND "timestamp" < $5 AND status = 'aggregated' AND invoice_id IS NULL`,
      [
        claim.merchantId,
        claim.payerId,
        claim.metricIds,
        claim.start,
        claim.end,
        claim.invoiceId,
        claim.paid ? 'paid' : 'invoiced',
      ],
    );
  }

  /**
   * The payer's aggregated events in [start, end) that no invoice took (corrections, or usage
   * logged after its period was billed), each with its metric and, for a reversal, the invoice
   * that billed the version it takes out. Usually none: one index range read finds that out.
   */
  async unclaimedBetween(
    tx: EntityManager,
    query: { merchantId: string; payerId: string; start: Date; end: Date },
  ): Promise<Array<{ metricId: string; timestamp: Date; correctsInvoiceId: string | null }>> {
    if (!(query.start < query.end)) return [];
    const rows: Array<{ metric_id: string; timestamp: Date; corrects_invoice_id: string | null }> =
      await tx.query(
        `SELECT e.metric_id, e."timestamp", ${CORRECTS_INVOICE_COLUMN} FROM billing_metric_events e
          WHERE e.merchant_id = $1 AND coalesce(e.customer_id, e.account_id) = $2
            AND e."timestamp" >= $3 AND e."timestamp" < $4
            AND e.status = 'aggregated' AND e.invoice_id IS NULL`,
        [query.merchantId, query.payerId, query.start, query.end],
      );
    return rows.map((row) => ({
      metricId: row.metric_id,
      timestamp: row.timestamp,
      correctsInvoiceId: row.corrects_invoice_id,
    }));
  }

  /** The invoice's events move on to `paid`, or are released (void: back to aggregated, its claim undone). */
  async settle(
    tx: EntityManager,
    merchantId: string,
    invoiceId: string,
    to: 'paid' | 'released',
  ): Promise<void> {
    if (to === 'paid') {
      await tx.query(
        `UPDATE billing_metric_events SET status = 'paid' WHERE merchant_id = $1 AND invoice_id = $2`,
        [merchantId, invoiceId],
      );
      return;
    }
    await tx.query(
      `UPDATE billing_metric_events SET status = 'aggregated', invoice_id = NULL WHERE merchant_id = $1 AND invoice_id = $2`,
      [merchantId, invoiceId],
    );
    await tx.query(
      `UPDATE usage_claims SET released_at = now() WHERE merchant_id = $1 AND invoice_id = $2 AND released_at IS NULL`,
      [merchantId, invoiceId],
    );
  }

  /** The metrics with events of the payer in [start, end) that no invoice has taken. */
  async pendingMetricIds(merchantId: string, payerId: string, start: Date, end: Date): Promise<string[]> {
    const rows: Array<{ metric_id: string }> = await this.db.query(
      `SELECT DISTINCT e.metric_id FROM billing_metric_events e
        WHERE e.merchant_id = $1 AND coalesce(e.customer_id, e.account_id) = $2
          AND e."timestamp" >= $3 AND e."timestamp" < $4 AND e.invoice_id IS NULL`,
      [merchantId, payerId, start, end],
    );
    return rows.map((row) => row.metric_id);
  }

  /**
   * The payer's folded usage per metric over the hours in [start, end), merged by PostgreSQL
   * from the hourly buckets (one row per metric, not one per hour).
   */
  async windowUsage(
    tx: EntityManager,
    merchantId: string,
    payerId: string,
    start: Date,
    end: Date,
  ): Promise<MetricWindowUsage[]> {
    const rows: Array<{
      metric_id: string;
      count: string;
      sum: string;
      markup_sum: string;
      duration_ms: string;
      distinct_counts: Record<string, number> | null;
    }> = await tx.query(
      `WITH hours AS (
         SELECT b.metric_id, b.count, b.sum, b.markup_sum, b.duration_ms, b.distinct_counts
           FROM usage_buckets b
          WHERE b.merchant_id = $1 AND b.payer_id = $2 AND b.hour >= $3 AND b.hour < $4
       ), totals AS (
         SELECT metric_id, sum(count) AS count, sum(sum) AS sum, sum(markup_sum) AS markup_sum,
                sum(duration_ms) AS duration_ms
           FROM hours GROUP BY metric_id
       )
       SELECT t.metric_id, t.count::text, t.sum::text, t.markup_sum::text, t.duration_ms::text,
              (SELECT jsonb_object_agg(v.key, v.n)
                 FROM (SELECT key, sum(value::bigint) AS n
                         FROM hours h, jsonb_each_text(h.distinct_counts)
                        WHERE h.metric_id = t.metric_id
                        GROUP BY key HAVING sum(value::bigint) <> 0) AS v) AS distinct_counts
         FROM totals t
        ORDER BY t.metric_id`,
      [merchantId, payerId, start, end],
    );
    return rows.map((row) => ({
      metricId: row.metric_id,
      state: {
        count: Number(row.count),
        sum: decimalText(new ExactDecimal(row.sum)),
        markupSum: decimalText(new ExactDecimal(row.markup_sum)),
        durationMs: decimalText(new ExactDecimal(row.duration_ms)),
        distinct: sortedCounts(row.distinct_counts ?? {}),
      },
    }));
  }
}
