import type { BillingMetricEntity } from './billing-metric.entity.js';
import { priceFromJson, unitAmountOf } from './domain/price.js';
import type { BillingMetric } from './dto/metric-resource.dto.js';

export function presentMetric(metric: BillingMetricEntity): BillingMetric {
  return {
    id: metric.id,
    object: 'billing_metric' as const,
    name: metric.name,
    event_name: metric.eventName,
    aggregation: metric.aggregation,
    unit_amount: unitAmountOf(priceFromJson(metric.price)),
    price: metric.price,
    currency: metric.currency,
    time_unit: metric.timeUnit,
    description: metric.description,
    metadata: metric.metadata,
    status: metric.status,
    created: metric.createdAt.toISOString(),
    archived_at: metric.archivedAt?.toISOString() ?? null,
  };
}
