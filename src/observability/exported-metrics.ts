import { apiRegistry, workerRegistry } from './meters.js';

/**
 * The Temporal SDK metrics (Rust core's Prometheus exporter, with the names temporal-runtime-metrics.ts
 * asks for) that the dashboard charts; the end-to-end test checks the worker exports each.
 */
export const TEMPORAL_WORKER_METRICS = [
  'temporal_worker_task_slots_available',
  'temporal_worker_task_slots_used',
  'temporal_num_pollers',
  'temporal_sticky_cache_size',
  'temporal_request_total',
  'temporal_workflow_task_schedule_to_start_latency_seconds_bucket',
  'temporal_activity_schedule_to_start_latency_seconds_bucket',
  'temporal_activity_execution_latency_seconds_bucket',
] as const;

/** The series Prometheus stores for a family: a histogram's `_bucket`, `_sum` and `_count`. */
function seriesOf(name: string, type: string): string[] {
  return type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
}

/**
 * Every series name Tally's own registries export (the default process metrics aside), plus the
 * database gauges the worker adds at scrape time: what a dashboard may query.
 */
export async function tallySeriesNames(): Promise<string[]> {
  const families = [...(await apiRegistry.getMetricsAsJSON()), ...(await workerRegistry.getMetricsAsJSON())];
  return [
    ...families.flatMap((family) => seriesOf(family.name, String(family.type))),
    'tally_invoices',
    'tally_rollup_backlog_events',
    'tally_rollup_lag_seconds',
  ];
}
