import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/tally-error.js';
import { requestFingerprint } from '../common/idempotency/idempotency-key.js';
import { isIdOf, newId } from '../common/ids/ids.js';
import { ExactDecimal } from '../common/money/decimal.js';
import { perUnit, rate } from '../metering/domain/rating.js';
import { priceToJson, unitAmountOf } from '../metering/domain/price.js';
import { requestedPrice } from '../metering/metrics.service.js';
import { moneyText } from '../invoicing/domain/invoice-totals.js';
import { type ListResponse, toListResponse, toPageRequest } from '../common/pagination/pagination.js';
import { minorUnitDigits } from '../common/money/currency.js';
import { MetricsService } from '../metering/metrics.service.js';
import { PayersService } from '../payers/payers.service.js';
import { overageQuantity } from './domain/overage.js';
import {
  CancelSubscriptionDto,
  CreateSubscriptionDto,
  ListSubscriptionsQueryDto,
  SubscriptionItemDto,
  UpdateSubscriptionDto,
} from './dto/subscription.dto.js';
import { SubscriptionCycleService } from './subscription-cycle.service.js';
import type { PlanItem, SubscriptionEntity } from './subscription.entity.js';
import { SubscriptionWorkflows } from './subscription-workflows.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { presentSubscription } from './subscriptions.presenter.js';
import type {
  Subscription,
  SubscriptionBillNowResult,
  SubscriptionUsageReport,
  SubscriptionUsageReportItem,
} from './dto/subscription-resource.dto.js';
import { requireWholeMinorUnits } from '../common/money/minor-units.js';

@Injectable()
export class SubscriptionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly payers: PayersService,
    private readonly metrics: MetricsService,
    private readonly cycle: SubscriptionCycleService,
    private readonly workflows: SubscriptionWorkflows,
  ) {}

  /** Creates the subscription and starts its billing-cycle workflow (`subscription/sub_…`). */
  async create(
    merchantId: string,
    input: CreateSubscriptionDto,
    idempotencyKey: string | null,
  ): Promise<Subscription> {
    const customer = await this.payers.findPayer(merchantId, 'customer', input.customer);
    if (!customer)
      throw new ValidationError('resource_missing', `No such customer: '${input.customer}'.`, 'customer');
    requireWholeMinorUnits(input.base_amount, input.currency, 'base_amount', { code: 'parameter_invalid' });
    if (input.minimum_amount !== undefined)
      requireWholeMinorUnits(input.minimum_amount, input.currency, 'minimum_amount', {
        code: 'parameter_invalid',
      });
    const items = await this.planItems(merchantId, input.items, input.currency);
    const method = await this.payers.requirePaymentMethod(merchantId, customer, input.payment_method, {
      required: input.collection_method === 'auto_charge',
    });
    const fingerprint = idempotencyKey === null ? null : requestFingerprint(input);
    // The insert and the billing-mode claim commit together; a replay of the create claims nothing.
    const { subscription, created } = await this.db.transaction(async (tx) => {
      const inserted = await this.subscriptions.insert(tx, {
        merchantId,
        id: newId('subscription'),
        customerId: customer.id,
        interval: input.interval,
        intervalCount: input.interval_count ?? 1,
        baseAmount: input.base_amount,
        minimumAmount: input.minimum_amount ?? null,
        currency: input.currency,
        items,
        collectionMethod: input.collection_method,
        paymentMethodId: input.payment_method !== undefined ? method!.id : null,
        startDate: input.start_date ? new Date(input.start_date) : new Date(),
        cancelAtPeriodEnd: input.cancel_at_period_end ?? false,
        idempotencyKey,
        requestHash: fingerprint,
      });
      if (inserted.created) await this.payers.claimBillingMode(tx, customer, 'subscription');
      return inserted;
    });
    if (created) await this.workflows.startSoon(subscription);
    return presentSubscription(subscription);
  }

  async get(merchantId: string, id: string): Promise<Subscription> {
    return presentSubscription(await this.require(merchantId, id));
  }

  async list(merchantId: string, query: ListSubscriptionsQueryDto): Promise<ListResponse<Subscription>> {
    const page = toPageRequest(query, 'subscription');
    const rows = await this.subscriptions.list(merchantId, page, { customerId: query.customer });
    return toListResponse(rows, page, presentSubscription);
  }

  /** Changes items or base amount from the next period (the current one bills as it began). */
  async update(merchantId: string, id: string, input: UpdateSubscriptionDto): Promise<Subscription> {
    const subscription = await this.requireActive(merchantId, id);
    if (input.base_amount !== undefined)
      requireWholeMinorUnits(input.base_amount, subscription.currency, 'base_amount', {
        code: 'parameter_invalid',
      });
    if (typeof input.minimum_amount === 'string')
      requireWholeMinorUnits(input.minimum_amount, subscription.currency, 'minimum_amount', {
        code: 'parameter_invalid',
      });
    const items = input.items
      ? await this.planItems(merchantId, input.items, subscription.currency)
      : undefined;
    const planChanged =
      input.base_amount !== undefined || items !== undefined || input.minimum_amount !== undefined;
    const updated = await this.db.transaction(async (tx) => {
      const current = (await this.subscriptions.lock(tx, merchantId, id))!;
      const pending = !planChanged
        ? current.pending
        : {
            ...current.pending,
            ...(input.base_amount !== undefined && { baseAmount: input.base_amount }),
            ...(items !== undefined && { items }),
            ...(input.minimum_amount !== undefined && { minimumAmount: input.minimum_amount }),
          };
      return this.subscriptions.update(tx, merchantId, id, {
        pending,
        ...(input.cancel_at_period_end !== undefined && { cancelAtPeriodEnd: input.cancel_at_period_end }),
      });
    });
    if (planChanged) await this.workflows.planChanged(updated);
    return presentSubscription(updated);
  }

  /**
   * Cancels at the end of the current period (after its overage invoice), or now: the workflow
   * then bills the overage so far and ends. Canceling a canceled subscription is a 409.
   */
  async cancel(merchantId: string, id: string, input: CancelSubscriptionDto): Promise<Subscription> {
    const subscription = await this.requireActive(merchantId, id);
    const atPeriodEnd = input.at_period_end ?? true;
    // The billing mode is given up when the workflow closes the period (its final overage bill), not here.
    const updated = await this.db.transaction((tx) =>
      this.subscriptions.update(
        tx,
        merchantId,
        id,
        atPeriodEnd ? { cancelAtPeriodEnd: true } : { status: 'canceled', canceledAt: new Date() },
      ),
    );
    if (!atPeriodEnd) await this.workflows.cancelNow(subscription);
    return presentSubscription(updated);
  }

  /** Invoices the overage accrued so far in the current period now, through the workflow. */
  async billNow(merchantId: string, id: string): Promise<SubscriptionBillNowResult> {
    const subscription = await this.requireActive(merchantId, id);
    const invoiceId = await this.workflows.billNow(subscription);
    return { subscription: presentSubscription(await this.require(merchantId, id)), invoice: invoiceId };
  }

  /** The current period: per item used, included, overage quantity and amount, and the base fee. */
  async report(merchantId: string, id: string): Promise<SubscriptionUsageReport> {
    const subscription = await this.require(merchantId, id);
    if (subscription.currentPeriodIndex === null) {
      throw new ConflictError(
        'subscription_not_started',
        `Subscription ${id} has not opened its first period yet.`,
      );
    }
    const period = (await this.subscriptions.findPeriod(merchantId, id, subscription.currentPeriodIndex))!;
    const cutoff = new Date(Math.min(Date.now(), period.periodEnd.getTime()));
    const usage = await this.cycle.itemUsage(subscription, period, cutoff);
    const items = usage.map((item): SubscriptionUsageReportItem => {
      const overage = overageQuantity(item.used, item.includedQuantity);
      return {
        metric: item.metricId,
        name: item.name,
        used: item.used,
        included: new ExactDecimal(item.includedQuantity).toFixed(),
        overage_quantity: overage,
        unit_amount: unitAmountOf(item.price),
        price: priceToJson(item.price),
        overage_amount: rate(item.used, item.price, subscription.currency, item.includedQuantity),
      };
    });
    const overageTotal = items.reduce((sum, item) => sum.plus(item.overage_amount), new ExactDecimal(0));
    return {
      object: 'subscription_usage_report' as const,
      subscription: id,
      customer: subscription.customerId,
      currency: subscription.currency,
      period_start: period.periodStart.toISOString(),
      period_end: period.periodEnd.toISOString(),
      as_of: cutoff.toISOString(),
      base_amount: rate('1', perUnit(period.baseAmount), subscription.currency),
      minimum_amount:
        period.minimumAmount === null ? null : moneyText(period.minimumAmount, subscription.currency),
      items,
      overage_amount: overageTotal.toFixed(minorUnitDigits(subscription.currency)),
      workflow: await this.workflows.state(subscription),
    };
  }

  private async planItems(
    merchantId: string,
    items: SubscriptionItemDto[],
    currency: string,
  ): Promise<PlanItem[]> {
    const metrics = await this.metrics.all(merchantId);
    const plan: PlanItem[] = [];
    items.forEach((item, index) => {
      const metric = isIdOf('metric', item.metric)
        ? metrics.find((m) => m.id === item.metric)
        : metrics.find((m) => m.eventName === item.metric && m.status === 'active');
      if (!metric) {
        throw new ValidationError(
          'resource_missing',
          `No such billing metric: '${item.metric}'.`,
          `items[${index}].metric`,
        );
      }
      if (metric.currency !== currency) {
        throw new ValidationError(
          'currency_mismatch',
          `Metric ${metric.id} is priced in ${metric.currency}, the subscription in ${currency}.`,
          `items[${index}].metric`,
        );
      }
      if (plan.some((existing) => existing.metricId === metric.id)) {
        throw new ValidationError(
          'duplicate_item',
          `Metric ${metric.id} is in items twice.`,
          `items[${index}].metric`,
        );
      }
      const price = requestedPrice(item, currency, `items[${index}].price`, { required: false });
      plan.push({
        metricId: metric.id,
        includedQuantity: item.included_quantity,
        unitAmount: null,
        price: price && priceToJson(price),
      });
    });
    return plan;
  }

  private async requireActive(merchantId: string, id: string): Promise<SubscriptionEntity> {
    const subscription = await this.require(merchantId, id);
    if (subscription.status !== 'active') {
      throw new ConflictError('subscription_canceled', `Subscription ${id} is canceled.`);
    }
    return subscription;
  }

  /** The subscription, or null (for previews). */
  find(merchantId: string, id: string): Promise<SubscriptionEntity | null> {
    return this.subscriptions.find(merchantId, id);
  }

  /** What the subscription's current period would bill now (see SubscriptionCycleService.previewOverage). */
  previewOverage(subscription: SubscriptionEntity, now: Date) {
    return this.cycle.previewOverage(subscription, now);
  }

  private async require(merchantId: string, id: string): Promise<SubscriptionEntity> {
    const subscription = isIdOf('subscription', id) ? await this.subscriptions.find(merchantId, id) : null;
    if (!subscription) throw NotFoundError.resource('subscription', id);
    return subscription;
  }
}
