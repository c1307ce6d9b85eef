import type { BillingMetricEvent } from './dto/event-resource.dto.js';
import type { EventRow } from './events.repository.js';

export function presentEvent(row: EventRow): BillingMetricEvent {
  return {
    id: row.id,
    object: 'billing_metric_event' as const,
    reference: row.reference,
    event_name: row.eventName,
    metric: row.metricId,
    customer: row.customerId,
    account: row.accountId,
    /** Exact decimal text, or the counted entity id for count_unique; null where the metric ignores it. */
    value: row.uniqueValue ?? row.value,
    timestamp: row.timestamp.toISOString(),
    start_time: row.startTime?.toISOString() ?? null,
    end_time: row.endTime?.toISOString() ?? null,
    markup_percentage: row.markupPercentage,
    metadata: row.metadata,
    status: row.status,
    received_at: row.receivedAt.toISOString(),
  };
}
