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

export type MetricUsageEvent = UsageEvent & { metricId: string };

export function toUsageEvent(row: UsageEventRow): MetricUsageEvent {
  return {
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
