import { Counter, Histogram, Registry } from 'prom-client';

/**
 * Tally's own metrics, process-wide (hooks in the services call them directly). Each process
 * serves the registry of what happens in it: the API's requests and ingestion at the API's
 * `/metrics`, the worker's charges, webhook attempts and rollup at the worker's metrics port.
 */
export const apiRegistry = new Registry();
export const workerRegistry = new Registry();

export const httpRequests = new Counter({
  name: 'tally_http_requests_total',
  help: 'HTTP requests answered, by method, route template ("unmatched" for unknown paths) and status.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [apiRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'tally_http_request_duration_seconds',
  help: 'Time from receiving an HTTP request to answering it, by method, route template and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [apiRegistry],
});

export const eventsIngested = new Counter({
  name: 'tally_events_ingested_total',
  help: 'Metering events stored (a repeated reference is counted as duplicated instead).',
  registers: [apiRegistry],
});

export const eventsDuplicated = new Counter({
  name: 'tally_events_duplicated_total',
  help: 'Metering events whose reference was already stored: answered as the original, not stored again.',
  registers: [apiRegistry],
});

export const eventsRejected = new Counter({
  name: 'tally_events_rejected_total',
  help: 'Metering events refused, by the code of their first problem.',
  labelNames: ['code'] as const,
  registers: [apiRegistry],
});

export const ingestBatchSize = new Histogram({
  name: 'tally_ingest_batch_size',
  help: 'Rows per group-committed ingestion INSERT (events of concurrent requests written together).',
  buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
  registers: [apiRegistry],
});

export const chargeAttempts = new Counter({
  name: 'tally_charge_attempts_total',
  help: 'Invoice charge attempts recorded, by outcome (succeeded, declined).',
  labelNames: ['outcome'] as const,
  registers: [workerRegistry],
});

export const webhookDeliveries = new Counter({
  name: 'tally_webhook_deliveries_total',
  help: 'Webhook delivery attempts, by outcome (succeeded, retrying, failed, skipped).',
  labelNames: ['outcome'] as const,
  registers: [workerRegistry],
});

export const rollupEventsFolded = new Counter({
  name: 'tally_rollup_events_folded_total',
  help: 'Logged events the rollup folded into usage buckets.',
  registers: [workerRegistry],
});
