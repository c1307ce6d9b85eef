import { ExactDecimal } from '../common/money/decimal.js';
import { moneyText } from '../invoicing/domain/invoice-totals.js';
import type { PlanItem, SubscriptionEntity } from './subscription.entity.js';
import { perUnit, priceFromJson, priceToJson, unitAmountOf } from '../metering/domain/price.js';
import type { Subscription, SubscriptionItem } from './dto/subscription-resource.dto.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;
const decimal = (value: string) => new ExactDecimal(value).toFixed();
const money = (value: string | null, currency: string) =>
  value === null ? null : moneyText(value, currency);

function presentItems(items: PlanItem[]): SubscriptionItem[] {
  return items.map((item) => ({
    metric: item.metricId,
    included_quantity: decimal(item.includedQuantity),
    unit_amount: item.price
      ? unitAmountOf(priceFromJson(item.price))
      : item.unitAmount === null
        ? null
        : decimal(item.unitAmount),
    price: item.price ?? (item.unitAmount === null ? null : priceToJson(perUnit(decimal(item.unitAmount)))),
  }));
}

export function presentSubscription(subscription: SubscriptionEntity): Subscription {
  return {
    id: subscription.id,
    object: 'subscription' as const,
    customer: subscription.customerId,
    status: subscription.status,
    interval: subscription.interval,
    interval_count: subscription.intervalCount,
    base_amount: moneyText(subscription.baseAmount, subscription.currency),
    minimum_amount: money(subscription.minimumAmount, subscription.currency),
    currency: subscription.currency,
    items: presentItems(subscription.items),
    pending_update: subscription.pending
      ? {
          base_amount:
            subscription.pending.baseAmount === undefined
              ? null
              : moneyText(subscription.pending.baseAmount, subscription.currency),
          items: subscription.pending.items ? presentItems(subscription.pending.items) : null,
          minimum_amount:
            subscription.pending.minimumAmount === undefined
              ? undefined
              : money(subscription.pending.minimumAmount, subscription.currency),
        }
      : null,
    collection_method: subscription.collectionMethod,
    payment_method: subscription.paymentMethodId,
    start_date: subscription.startDate.toISOString(),
    current_period_start: iso(subscription.currentPeriodStart),
    current_period_end: iso(subscription.currentPeriodEnd),
    cancel_at_period_end: subscription.cancelAtPeriodEnd,
    canceled_at: iso(subscription.canceledAt),
    ended_at: iso(subscription.endedAt),
    created: subscription.createdAt.toISOString(),
    workflow_failure: subscription.workflowFailure ?? null,
  };
}
