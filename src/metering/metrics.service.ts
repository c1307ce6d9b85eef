import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LoadingCache } from '../common/cache/loading-cache.js';
import { NotFoundError, ValidationError } from '../common/errors/tally-error.js';
import { isIdOf, newId } from '../common/ids/ids.js';
import { canonicalDecimal } from '../common/money/decimal.js';
import { toListResponse, toPageRequest } from '../common/pagination/pagination.js';
import type { BillingMetricEntity } from './billing-metric.entity.js';
import type { Aggregation, TimeUnit } from './domain/aggregation.js';
import { parsePrice, perUnit, priceFromJson, priceToJson, type Price } from './domain/price.js';
import { validationErrorFromProblems } from '../common/errors/problems.js';
import type { MetricFacts } from './domain/event-input.js';
import type { CreateMetricDto, ListMetricsQueryDto } from './dto/metric.dto.js';
import { MetricsRepository } from './metrics.repository.js';
import { presentMetric } from './metrics.presenter.js';

/**
 * How long another API process may keep accepting events for a metric archived elsewhere;
 * within this process an archive takes effect at once.
 */
const ACTIVE_METRIC_TTL_MS = 5_000;

/** What rating a metric's usage needs: how it aggregates, its price, its currency. */
export interface MetricPricing {
  id: string;
  name: string;
  aggregation: Aggregation;
  timeUnit: TimeUnit | null;
  price: Price;
  currency: string;
}

export function pricingOf(metric: BillingMetricEntity): MetricPricing {
  return {
    id: metric.id,
    name: metric.name,
    aggregation: metric.aggregation,
    timeUnit: metric.timeUnit,
    price: priceFromJson(metric.price),
    currency: metric.currency,
  };
}

/**
 * The price a request gives: `price`, or `unit_amount` as a per_unit price (exactly one of them),
 * checked for `currency`; else a 400 naming every problem.
 */
export function requestedPrice(
  input: { unit_amount?: string | null; price?: unknown },
  currency: string,
  param = 'price',
  options: { required: boolean } = { required: true },
): Price | null {
  const unitAmount = input.unit_amount ?? undefined;
  // A price is an object; null is refused like any wrong type (the field is not nullable).
  if (input.price === null)
    throw new ValidationError('price_invalid', `${param} must be an object with a model.`, param);
  const price = input.price;
  if (unitAmount !== undefined && price !== undefined) {
    throw new ValidationError('price_invalid', `Give ${param} or unit_amount, not both.`, param);
  }
  if (price === undefined) {
    if (unitAmount !== undefined) return perUnit(canonicalDecimal(unitAmount) ?? unitAmount);
    if (!options.required) return null;
    throw new ValidationError('parameter_missing', `One of unit_amount / ${param} is required.`, param);
  }
  const parsed = parsePrice(price, currency, param);
  if (parsed.problems.length > 0) throw validationErrorFromProblems(parsed.problems);
  return parsed.price;
}

@Injectable()
export class MetricsService {
  /** (merchant, event_name) → the active metric; the ingestion hot path reads it on every event. */
  private readonly activeByEventName = new LoadingCache<MetricFacts>({
    max: 50_000,
    ttlMs: ACTIVE_METRIC_TTL_MS,
  });

  /** (merchant, metric id) → how the metric prices; all of it is fixed once the metric is created. */
  private readonly pricingById = new LoadingCache<MetricPricing>({ max: 50_000 });

  constructor(private readonly repository: MetricsRepository) {}

  async create(merchantId: string, input: CreateMetricDto) {
    if (input.time_unit !== undefined && input.aggregation !== 'time_duration') {
      throw new ValidationError(
        'parameter_invalid',
        `time_unit applies only to time_duration metrics, not ${input.aggregation}.`,
        'time_unit',
      );
    }
    const currency = input.currency ?? 'usd';
    const metric = await this.repository.insert({
      merchantId,
      id: newId('metric'),
      name: input.name,
      eventName: input.event_name,
      aggregation: input.aggregation,
      price: priceToJson(requestedPrice(input, currency)!),
      currency,
      timeUnit: input.aggregation === 'time_duration' ? (input.time_unit ?? 'second') : null,
      description: input.description ?? null,
      metadata: input.metadata ?? {},
    });
    this.activeByEventName.delete(`${merchantId}\u0000${metric.eventName}`);
    return presentMetric(metric);
  }

  async get(merchantId: string, id: string) {
    return presentMetric(await this.require(merchantId, id));
  }

  async list(merchantId: string, query: ListMetricsQueryDto) {
    const page = toPageRequest(query, 'metric');
    return toListResponse(await this.repository.list(merchantId, page, query.status), page, presentMetric);
  }

  async archive(merchantId: string, id: string) {
    await this.require(merchantId, id);
    const metric = (await this.repository.archive(merchantId, id)) as BillingMetricEntity;
    this.activeByEventName.delete(`${merchantId}\u0000${metric.eventName}`);
    return presentMetric(metric);
  }

  /** Every metric of the merchant, active and archived, for reports. */
  all(merchantId: string): Promise<BillingMetricEntity[]> {
    return this.repository.listAll(merchantId);
  }

  /** The active metric events named `eventName` count toward, or null. Cached: this is on the ingestion hot path. */
  activeMetric(merchantId: string, eventName: string): Promise<MetricFacts | null> {
    return this.activeByEventName.get(`${merchantId}\u0000${eventName}`, async () => {
      const metric = await this.repository.findActiveByEventName(merchantId, eventName);
      return metric ? { id: metric.id, aggregation: metric.aggregation } : null;
    });
  }

  /**
   * How each of these metrics turns usage into money, in id order (an invoice's line order);
   * ids of no metric are left out. Cached: a metric's pricing never changes. Inside a
   * transaction pass it as `tx`, so a miss reads on that connection, not a second one.
   */
  async pricing(merchantId: string, ids: readonly string[], tx?: EntityManager): Promise<MetricPricing[]> {
    // One after another: a transaction's connection runs one query at a time.
    const found: MetricPricing[] = [];
    for (const id of [...new Set(ids)].sort()) {
      const metric = await this.pricingById.get(`${merchantId}\u0000${id}`, async () => {
        const row = isIdOf('metric', id) ? await this.repository.findById(merchantId, id, tx) : null;
        return row ? pricingOf(row) : null;
      });
      if (metric) found.push(metric);
    }
    return found;
  }

  /**
   * The facts events of metric `id` are checked against, archived or not (an event keeps the
   * metric it was logged for through every correction), or null; `tx` as for `pricing`.
   */
  async factsById(merchantId: string, id: string, tx?: EntityManager): Promise<MetricFacts | null> {
    const [metric] = await this.pricing(merchantId, [id], tx);
    return metric ? { id: metric.id, aggregation: metric.aggregation } : null;
  }

  /** The ids of the merchant's metrics (archived ones too) priced in `currency`; `tx` as for `pricing`. */
  async idsInCurrency(merchantId: string, currency: string, tx?: EntityManager): Promise<string[]> {
    return (await this.repository.listAll(merchantId, tx))
      .filter((metric) => metric.currency === currency)
      .map((metric) => metric.id);
  }

  private async require(merchantId: string, id: string): Promise<BillingMetricEntity> {
    const metric = isIdOf('metric', id) ? await this.repository.findById(merchantId, id) : null;
    if (!metric) throw NotFoundError.resource('billing metric', id);
    return metric;
  }
}
