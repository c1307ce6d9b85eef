import type { UsageEvent } from './domain/bucket.js';

/** The event columns aggregation reads, as selected by the rollup and the reports. */
export const USAGE_EVENT_COLUMNS = `metric_id, value, unique_value, "timestamp", start_time, end_time, markup_percentage, sign`;

export interface UsageEventRow {
  metric_id: string;
  value: string | null;
  unique_value: string | null;
  timestamp: Date;
  start_time: Date | null;
  end_time: Date | null;
  markup_percentage: string | null;
  /** 1, or -1 for a reversal (pg returns smallint as a number). */
  sign: number;
}

export type MetricUsageEvent = UsageEvent & {
  metricId: string;
  /** For a reversal whose version an invoice billed: that invoice (read where billing asks for it). */
  correctsInvoiceId?: string | null;
};

/**
 * For a reversal row `e`, the invoice that billed the version it takes out: its adjustment line
 * names that invoice. Null for other rows, and for a version not billed (or billed with `e`).
 */
export const CORRECTS_INVOICE_COLUMN = `CASE WHEN e.sign = -1 THEN (
    SELECT o.invoice_id FROM billing_metric_events o
     WHERE o.merchant_id = e.merchant_id AND o.reference = e.reference AND o.version = e.version AND o.sign = 1
  ) END AS corrects_invoice_id`;

export function toUsageEvent(row: UsageEventRow & { corrects_invoice_id?: string | null }): MetricUsageEvent {
  return {
    ...(row.corrects_invoice_id && { correctsInvoiceId: row.corrects_invoice_id }),
    metricId: row.metric_id,
    timestamp: row.timestamp,
    value: row.value,
    uniqueValue: row.unique_value,
    startTime: row.start_time,
    endTime: row.end_time,
    markupPercentage: row.markup_percentage,
    sign: row.sign === -1 ? -1 : 1,
  };
}
