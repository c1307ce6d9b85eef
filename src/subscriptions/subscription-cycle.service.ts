import { ConflictError, NotFoundError } from '../common/errors/tally-error.js';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { newId } from '../common/ids/ids.js';
import { decimalText, ExactDecimal } from '../common/money/decimal.js';
import { rate } from '../metering/domain/rating.js';
import { perUnit, priceFromJson, priceToJson, unitAmountOf } from '../metering/domain/price.js';
import { lineTier } from '../invoicing/domain/invoice-lines.js';
import { moneyText } from '../invoicing/domain/invoice-totals.js';
import type { InvoiceLineEntity } from '../invoicing/invoice-line.entity.js';
import { InvoicesRepository } from '../invoicing/invoices.repository.js';
import { MetricsService } from '../metering/metrics.service.js';
import { ReportsService } from '../usage/reports.service.js';
import { runAfterCommit } from '../pipeline/pipeline-events.js';
import { UsageLedger } from '../usage/usage-ledger.js';
import { type RecordedWebhookEvent, WebhookEmitter } from '../webhooks/webhook-emitter.js';
import {
  type ItemUsage,
  isOver,
  itemPrice,
  minimumTrueUp,
  correctionLines,
  overageLines,
  overageQuantity,
  type OverageLine,
  trueUpChange,
} from './domain/overage.js';

/** An item's usage of the period so far, before what earlier bills took. */
export type PeriodItemUsage = Omit<ItemUsage, 'billedUsage' | 'billedAmount'>;
import { periodAt } from './domain/periods.js';
import type { SubscriptionPeriodEntity } from './subscription-period.entity.js';
import type { SubscriptionEntity } from './subscription.entity.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import type {
  ClosedPeriod,
  ItemState,
  OpenedPeriod,
  PeriodRef,
} from '../../workflows/contracts/subscription.contract.js';
import type { DomainFailure } from '../../workflows/contracts/failures.js';
import { PayersService } from '../payers/payers.service.js';

/**
 * The subscription cycle workflow's steps. Each is one transaction (with its webhook events, the
 * outbox) keyed by (subscription, period), so running a step again changes nothing: a period is
 * opened once, its base fee invoiced once, and overage billed only beyond what was billed.
 */
@Injectable()
export class SubscriptionCycleService {
  private readonly logger = new Logger(SubscriptionCycleService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly invoices: InvoicesRepository,
    private readonly reports: ReportsService,
    private readonly ledger: UsageLedger,
    private readonly metrics: MetricsService,
    private readonly webhooks: WebhookEmitter,
    private readonly payers: PayersService,
  ) {}

  /**
   * In the transaction that closes a subscription's last period (after its final overage bill):
   * when it was the customer's last one still running, the customer's usage is no longer a
   * subscription's to bill, and it may take prepaid credits.
   */
  private async subscriptionEnded(
    tx: EntityManager,
    subscription: Pick<SubscriptionEntity, 'merchantId' | 'id' | 'customerId'>,
  ) {
    await this.payers.releaseBillingMode(
      tx,
      { merchantId: subscription.merchantId, id: subscription.customerId },
      'subscription',
      () =>
        this.subscriptions.hasOtherUnended(
          tx,
          subscription.merchantId,
          subscription.customerId,
          subscription.id,
        ),
    );
  }

  /** The subscription's workflow stopped on a step that cannot succeed: the subscription says so. */
  async recordWorkflowFailure(ref: PeriodRef, failure: DomainFailure): Promise<void> {
    await this.subscriptions.recordWorkflowFailure(ref.merchantId, ref.subscriptionId, {
      code: failure.code,
      message: failure.message,
    });
  }

  /** Opens period `index`: applies a pending plan change, records the period, invoices the base fee in advance. */
  async openPeriod(ref: PeriodRef): Promise<OpenedPeriod> {
    // Corrections of closed periods the rollup folded go on the base fee's invoice (it folds
    // within a second or two; one it has not folded yet waits for the next invoice). No fold here:
    // a fold signals the subscription, once per period of a catch-up.
    return this.db.transaction(async (tx) => {
      const subscription = await this.subscriptions.lock(tx, ref.merchantId, ref.subscriptionId);
      if (!subscription) throw NotFoundError.resource('subscription', ref.subscriptionId);
      const existing = await this.subscriptions.findPeriod(ref.merchantId, ref.subscriptionId, ref.index, tx);
      if (existing) return opened(subscription, existing, false);
      if (subscription.status !== 'active') {
        // Canceled before this period opened (a cancel-now that beat the first period): it ends here.
        if (!subscription.endedAt) {
          await this.subscriptions.update(tx, ref.merchantId, ref.subscriptionId, { endedAt: new Date() });
        }
        await this.subscriptionEnded(tx, subscription);
        return {
          ended: true,
          index: ref.index,
          startMs: 0,
          endMs: 0,
          baseInvoiceId: null,
          customerId: subscription.customerId,
        };
      }
      const plan =
        ref.index > 0 && subscription.pending
          ? {
              baseAmount: subscription.pending.baseAmount ?? subscription.baseAmount,
              items: subscription.pending.items ?? subscription.items,
              minimumAmount:
                subscription.pending.minimumAmount === undefined
                  ? subscription.minimumAmount
                  : subscription.pending.minimumAmount,
            }
          : {
              baseAmount: subscription.baseAmount,
              items: subscription.items,
              minimumAmount: subscription.minimumAmount,
            };
      const period = periodAt(
        subscription.startDate,
        subscription.interval,
        subscription.intervalCount,
        ref.index,
      );
      let baseInvoiceId: string | null = null;
      if (!new ExactDecimal(plan.baseAmount).isZero()) {
        const adjustments = await this.closedPeriodAdjustments(tx, subscription);
        const invoice = await this.invoices.insertDraftWithLines(
          tx,
          {
            ...this.invoiceBase(subscription, period),
            idempotencyKey: `subscription:${subscription.id}:${ref.index}:base`,
          },
          [
            {
              kind: 'manual',
              metricId: null,
              description: `Base fee, ${period.start.toISOString().slice(0, 10)} to ${period.end.toISOString().slice(0, 10)}`,
              quantity: '1',
              unitAmount: plan.baseAmount,
              amount: rate('1', perUnit(plan.baseAmount), subscription.currency),
            },
            ...adjustments.lines,
          ],
        );
        await adjustments.take(invoice.id, false);
        baseInvoiceId = invoice.id;
      }
      const row = await this.subscriptions.insertPeriod(tx, {
        merchantId: ref.merchantId,
        subscriptionId: ref.subscriptionId,
        periodIndex: ref.index,
        periodStart: period.start,
        periodEnd: period.end,
        baseAmount: plan.baseAmount,
        items: plan.items,
        minimumAmount: plan.minimumAmount,
        billedUsage: {},
        billedAmounts: {},
        baseInvoiceId,
      });
      const updated = await this.subscriptions.update(tx, ref.merchantId, ref.subscriptionId, {
        baseAmount: plan.baseAmount,
        items: plan.items,
        minimumAmount: plan.minimumAmount,
        pending: ref.index > 0 ? null : subscription.pending,
        currentPeriodIndex: ref.index,
        currentPeriodStart: period.start,
        currentPeriodEnd: period.end,
      });
      return opened(updated, row, false);
    });
  }

  /**
   * Measures the period's usage so far against the allotments (from the rollup's buckets), sends
   * `billing.subscriber_overage` once per item crossing its allotment and, for a snapshot,
   * `billing.subscriber_usage`. Answers the usage, for the workflow's state.
   */
  async checkUsage(ref: PeriodRef & { snapshot: boolean }): Promise<ItemState[]> {
    const { subscription, period } = await this.load(ref);
    const cutoff = new Date(Math.min(Date.now(), period.periodEnd.getTime()));
    const usage = await this.itemUsage(subscription, period, cutoff);
    const events = await this.db.transaction(async (tx) => {
      const locked = (await this.subscriptions.lockPeriod(
        tx,
        ref.merchantId,
        ref.subscriptionId,
        ref.index,
      ))!;
      const recorded = await this.announceOverage(tx, subscription, locked, usage);
      if (ref.snapshot) {
        recorded.push(
          await this.webhooks.record(tx, {
            merchantId: ref.merchantId,
            type: 'billing.subscriber_usage',
            object: {
              ...periodObject(subscription, locked),
              as_of: cutoff.toISOString(),
              items: itemStates(usage),
            },
            payerId: subscription.customerId,
          }),
        );
      }
      return recorded;
    });
    await this.webhooks.dispatch(events);
    return itemStates(usage);
  }

  /**
   * Bills the overage of the period up to `cutoffMs` not billed yet (one invoice, or none), and
   * marks the period's usage events billed. `final` closes the period; a canceled subscription
   * then ends. A "bill now" is the same without `final`.
   */
  async billOverage(ref: PeriodRef & { cutoffMs: number; final: boolean }): Promise<ClosedPeriod> {
    const initial = await this.load(ref);
    if (ref.final && initial.period.closedAt) {
      return { overageInvoiceId: null, continues: initial.subscription.status === 'active' };
    }
    // Canceled now: usage after canceled_at is never billed, even when the workflow missed the signal.
    const canceledAt = initial.subscription.canceledAt?.getTime() ?? Infinity;
    const cutoff = new Date(Math.min(ref.cutoffMs, initial.period.periodEnd.getTime(), canceledAt));
    // The payer's pending events are folded first, so the usage below counts all of them.
    const folded = await this.db.transaction((tx) =>
      this.ledger.fold(tx, ref.merchantId, initial.subscription.customerId, cutoff, {
        type: 'subscription',
        id: ref.subscriptionId,
      }),
    );
    await runAfterCommit(folded.afterCommit);
    const usage = await this.itemUsage(initial.subscription, initial.period, cutoff);
    const { result, events } = await this.db.transaction(async (tx) => {
      const subscription = (await this.subscriptions.lock(tx, ref.merchantId, ref.subscriptionId))!;
      const period = (await this.subscriptions.lockPeriod(
        tx,
        ref.merchantId,
        ref.subscriptionId,
        ref.index,
      ))!;
      if (ref.final && period.closedAt) {
        return {
          result: { overageInvoiceId: null, continues: subscription.status === 'active' },
          events: [],
        };
      }
      const withBilled = usage.map((item) => ({
        ...item,
        billedUsage: period.billedUsage[item.metricId] ?? '0',
        billedAmount: period.billedAmounts[item.metricId] ?? '0',
      }));
      const lines = overageLines(withBilled, subscription.currency);
      const billedAmounts = { ...period.billedAmounts };
      const billedUsage = { ...period.billedUsage };
      for (const line of lines) {
        billedAmounts[line.metricId] = decimalText(
          new ExactDecimal(billedAmounts[line.metricId] ?? '0').plus(line.amount),
        );
        billedUsage[line.metricId] = withBilled.find((item) => item.metricId === line.metricId)!.used;
      }
      const usageTotal = Object.values(billedAmounts).reduce(
        (sum, amount) => sum.plus(amount),
        new ExactDecimal(0),
      );
      const trueUp = ref.final ? minimumTrueUp(period.minimumAmount, decimalText(usageTotal)) : null;
      const adjustments = await this.closedPeriodAdjustments(tx, subscription);
      let overageInvoiceId: string | null = null;
      if (lines.length > 0 || trueUp !== null || adjustments.lines.length > 0) {
        const periodBounds = { periodStart: period.periodStart, periodEnd: period.periodEnd };
        const invoice = await this.invoices.insertDraftWithLines(
          tx,
          {
            ...this.invoiceBase(subscription, { start: period.periodStart, end: period.periodEnd }),
            idempotencyKey: `subscription:${subscription.id}:${ref.index}:overage:${period.overageInvoiceIds.length}`,
          },
          [
            ...lines.map((line) => ({
              ...line,
              kind: 'usage' as const,
              tiers: line.tiers.map(lineTier),
              ...periodBounds,
            })),
            ...(trueUp === null
              ? []
              : [
                  {
                    kind: 'minimum_commitment' as const,
                    metricId: null,
                    description: trueUpDescription(usageTotal, period.minimumAmount!, subscription.currency),
                    quantity: '1',
                    unitAmount: trueUp,
                    amount: moneyText(trueUp, subscription.currency),
                    ...periodBounds,
                  },
                ]),
            ...adjustments.lines,
          ],
        );
        await adjustments.take(invoice.id, false);
        overageInvoiceId = invoice.id;
        await this.subscriptions.updatePeriod(tx, period, {
          billedUsage,
          billedAmounts,
          overageInvoiceIds: [...period.overageInvoiceIds, invoice.id],
        });
      }
      const target = overageInvoiceId ?? period.baseInvoiceId;
      if (target) {
        // Locked: a payment of that invoice commits either before (events claimed as paid) or after (it settles them).
        const targetInvoice = await this.invoices.lock(tx, ref.merchantId, target);
        await this.ledger.claimForPeriod(tx, {
          merchantId: ref.merchantId,
          payerId: subscription.customerId,
          metricIds: period.items.map((item) => item.metricId),
          start: period.periodStart,
          end: cutoff,
          invoiceId: target,
          paid: targetInvoice?.status === 'paid',
        });
      }
      const recorded = await this.announceOverage(tx, subscription, period, usage);
      let continues = true;
      if (ref.final) {
        await this.subscriptions.updatePeriod(tx, period, { closedAt: new Date() });
        if (subscription.status !== 'active' || subscription.cancelAtPeriodEnd) {
          await this.subscriptions.update(tx, ref.merchantId, ref.subscriptionId, {
            status: 'canceled',
            canceledAt: subscription.canceledAt ?? new Date(),
            endedAt: new Date(),
          });
          await this.subscriptionEnded(tx, subscription);
          continues = false;
        }
      }
      return { result: { overageInvoiceId, continues }, events: recorded };
    });
    await this.webhooks.dispatch(events);
    return result;
  }

  /**
   * What the current period's overage invoice would bill now, read only: the overage not billed
   * yet and the minimum commitment's true-up as if the period ended now; and the next period's
   * base fee (null when the subscription ends with this period). Null before the first period.
   */
  async previewOverage(subscription: SubscriptionEntity, now = new Date()): Promise<OveragePreview | null> {
    if (subscription.currentPeriodIndex === null) return null;
    const period = await this.subscriptions.findPeriod(
      subscription.merchantId,
      subscription.id,
      subscription.currentPeriodIndex,
    );
    if (!period) return null;
    const cutoff = new Date(Math.min(now.getTime(), period.periodEnd.getTime()));
    const usage = await this.itemUsage(subscription, period, cutoff);
    const lines = overageLines(
      usage.map((item) => ({
        ...item,
        billedUsage: period.billedUsage[item.metricId] ?? '0',
        billedAmount: period.billedAmounts[item.metricId] ?? '0',
      })),
      subscription.currency,
    );
    const usageTotal = lines.reduce(
      (sum, line) => sum.plus(line.amount),
      Object.values(period.billedAmounts).reduce((sum, amount) => sum.plus(amount), new ExactDecimal(0)),
    );
    const trueUp = minimumTrueUp(period.minimumAmount, decimalText(usageTotal));
    const adjustments = await this.db.transaction(
      'REPEATABLE READ',
      async (tx) => (await this.closedPeriodAdjustments(tx, subscription, false)).lines,
    );
    const ends = subscription.status !== 'active' || subscription.cancelAtPeriodEnd;
    const next = periodAt(
      subscription.startDate,
      subscription.interval,
      subscription.intervalCount,
      period.periodIndex + 1,
    );
    const nextBase = subscription.pending?.baseAmount ?? subscription.baseAmount;
    return {
      period: { start: period.periodStart, end: period.periodEnd },
      lines,
      adjustments,
      minimum:
        trueUp === null
          ? null
          : {
              description: trueUpDescription(usageTotal, period.minimumAmount!, subscription.currency),
              amount: moneyText(trueUp, subscription.currency),
            },
      nextBaseFee: ends
        ? null
        : { amount: rate('1', perUnit(nextBase), subscription.currency), start: next.start, end: next.end },
    };
  }

  /**
   * The adjustment lines of the subscription's closed periods that hold events no invoice took
   * (corrections of events billed there, or usage logged after the period was billed): per item,
   * the period's price now less what it was billed, and the change to its minimum true-up. `take`
   * then claims those events for the invoice the lines went on and records what the periods have
   * now been billed. Folds nothing: the caller folds the payer's pending events first.
   */
  private async closedPeriodAdjustments(tx: EntityManager, subscription: SubscriptionEntity, lock = true) {
    const none = { lines: [] as AdjustmentLine[], take: async (_invoiceId: string, _paid: boolean) => {} };
    const end = await this.subscriptions.lastClosedEnd(tx, subscription.merchantId, subscription.id);
    if (!end) return none;
    const unclaimed = await this.ledger.unclaimedBetween(tx, {
      merchantId: subscription.merchantId,
      payerId: subscription.customerId,
      start: subscription.startDate,
      end,
    });
    if (unclaimed.length === 0) return none;
    const closed = await this.subscriptions.closedPeriodsAt(
      tx,
      subscription.merchantId,
      subscription.id,
      [...new Set(unclaimed.map((row) => row.timestamp.getTime()))].map((ms) => new Date(ms)),
      lock,
    );
    const pending = closed
      .map((period, index) => {
        const metrics = new Set(period.items.map((item) => item.metricId));
        const rows = unclaimed.filter(
          (row) =>
            metrics.has(row.metricId) &&
            row.timestamp >= period.periodStart &&
            row.timestamp < period.periodEnd,
        );
        const corrects = rows.map((row) => row.correctsInvoiceId).filter((id): id is string => id !== null);
        return { index, found: rows.length > 0, corrects: [...new Set(corrects)].sort() };
      })
      .filter((period) => period.found);
    const numbers = await this.invoices.numbersOf(
      tx,
      subscription.merchantId,
      pending.flatMap((found) => found.corrects),
    );
    const adjusted: Array<{
      period: SubscriptionPeriodEntity;
      billedAmounts: Record<string, string>;
      billedUsage: Record<string, string>;
      lines: AdjustmentLine[];
    }> = [];
    for (const { index, corrects } of pending) {
      const period = closed[index]!;
      const usage = (await this.itemUsage(subscription, period, period.periodEnd)).map((item) => ({
        ...item,
        billedUsage: period.billedUsage[item.metricId] ?? '0',
        billedAmount: period.billedAmounts[item.metricId] ?? '0',
      }));
      const lines = correctionLines(usage, subscription.currency);
      const billedAmounts = { ...period.billedAmounts };
      for (const line of lines)
        billedAmounts[line.metricId] = decimalText(
          new ExactDecimal(billedAmounts[line.metricId] ?? '0').plus(line.amount),
        );
      const sum = (amounts: Record<string, string>) =>
        decimalText(
          Object.values(amounts).reduce((total, amount) => total.plus(amount), new ExactDecimal(0)),
        );
      const trueUp = trueUpChange(period.minimumAmount, sum(period.billedAmounts), sum(billedAmounts));
      const label = `${period.periodStart.toISOString().slice(0, 10)} to ${period.periodEnd.toISOString().slice(0, 10)}`;
      const named = corrects.map((id) => numbers.get(id) ?? id);
      const prefix = named.length > 0 ? `Correction to ${named.join(', ')}: ` : '';
      const bounds = { periodStart: period.periodStart, periodEnd: period.periodEnd };
      adjusted.push({
        period,
        billedAmounts,
        billedUsage: Object.fromEntries(usage.map((item) => [item.metricId, item.used])),
        lines: [
          ...lines.map((line) => ({
            ...line,
            kind: 'adjustment' as const,
            description: `${prefix}${line.description}, ${label}`,
            tiers: line.tiers.map(lineTier),
            ...bounds,
          })),
          ...(trueUp === null
            ? []
            : [
                {
                  kind: 'adjustment' as const,
                  metricId: null,
                  description: `${prefix}minimum commitment true-up, ${label}`,
                  quantity: '1',
                  unitAmount: trueUp,
                  amount: moneyText(trueUp, subscription.currency),
                  tiers: null,
                  ...bounds,
                },
              ]),
        ],
      });
    }
    return {
      lines: adjusted.flatMap((found) => found.lines),
      take: async (invoiceId: string, paid: boolean) => {
        for (const found of adjusted) {
          await this.ledger.claimForPeriod(tx, {
            merchantId: subscription.merchantId,
            payerId: subscription.customerId,
            metricIds: found.period.items.map((item) => item.metricId),
            start: found.period.periodStart,
            end: found.period.periodEnd,
            invoiceId,
            paid,
          });
          await this.subscriptions.updatePeriod(tx, found.period, {
            billedUsage: found.billedUsage,
            billedAmounts: found.billedAmounts,
          });
        }
      },
    };
  }

  /** Each item's usage in [period start, cutoff) with its price, for the allotment arithmetic. */
  async itemUsage(
    subscription: SubscriptionEntity,
    period: SubscriptionPeriodEntity,
    cutoff: Date,
  ): Promise<PeriodItemUsage[]> {
    const [quantities, metrics] = await Promise.all([
      this.reports.quantities(
        subscription.merchantId,
        { kind: 'customer', id: subscription.customerId },
        period.periodStart,
        cutoff,
      ),
      this.metrics.all(subscription.merchantId),
    ]);
    return period.items.map((item) => {
      const metric = metrics.find((m) => m.id === item.metricId);
      return {
        metricId: item.metricId,
        name: metric?.name ?? item.metricId,
        includedQuantity: item.includedQuantity,
        price: itemPrice(item, metric ? priceFromJson(metric.price) : perUnit('0')),
        used: quantities.get(item.metricId) ?? '0',
      };
    });
  }

  private async announceOverage(
    tx: EntityManager,
    subscription: SubscriptionEntity,
    period: SubscriptionPeriodEntity,
    usage: PeriodItemUsage[],
  ): Promise<RecordedWebhookEvent[]> {
    const crossed = usage.filter(
      (item) => isOver(item.used, item.includedQuantity) && !period.overageNotified.includes(item.metricId),
    );
    if (crossed.length === 0) return [];
    await this.subscriptions.updatePeriod(tx, period, {
      overageNotified: [...period.overageNotified, ...crossed.map((item) => item.metricId)],
    });
    period.overageNotified = [...period.overageNotified, ...crossed.map((item) => item.metricId)];
    const recorded: RecordedWebhookEvent[] = [];
    for (const item of crossed) {
      recorded.push(
        await this.webhooks.record(tx, {
          merchantId: subscription.merchantId,
          type: 'billing.subscriber_overage',
          object: {
            ...periodObject(subscription, period),
            metric: item.metricId,
            included_quantity: item.includedQuantity,
            used_quantity: item.used,
            overage_quantity: overageQuantity(item.used, item.includedQuantity),
            unit_amount: unitAmountOf(item.price),
            price: priceToJson(item.price),
          },
          payerId: subscription.customerId,
        }),
      );
    }
    return recorded;
  }

  private async load(ref: PeriodRef) {
    const subscription = await this.subscriptions.find(ref.merchantId, ref.subscriptionId);
    const period = await this.subscriptions.findPeriod(ref.merchantId, ref.subscriptionId, ref.index);
    if (!subscription) throw NotFoundError.resource('subscription', ref.subscriptionId);
    if (!period)
      throw new ConflictError(
        'period_not_open',
        `Period ${ref.index} of ${ref.subscriptionId} was never opened.`,
      );
    return { subscription, period };
  }

  private invoiceBase(subscription: SubscriptionEntity, period: { start: Date; end: Date }) {
    return {
      merchantId: subscription.merchantId,
      id: newId('invoice'),
      kind: 'subscription' as const,
      payerKind: 'customer' as const,
      payerId: subscription.customerId,
      collectionMethod: subscription.collectionMethod,
      paymentMethodId: subscription.paymentMethodId,
      currency: subscription.currency,
      periodStart: period.start,
      periodEnd: period.end,
      description: `Subscription ${subscription.id}`,
      metadata: {},
      requestHash: null,
      subscriptionId: subscription.id,
      // The subscription's workflow starts this invoice's workflow as its child.
      workflowStartedAt: new Date(),
    };
  }
}

function trueUpDescription(usageTotal: ExactDecimal, minimum: string, currency: string): string {
  return `Minimum commitment true-up (usage ${moneyText(decimalText(usageTotal), currency)} of ${moneyText(minimum, currency)})`;
}

/** A line of a subscription invoice adjusting a closed period. */
type AdjustmentLine = Pick<
  InvoiceLineEntity,
  'metricId' | 'description' | 'quantity' | 'unitAmount' | 'amount' | 'tiers' | 'periodStart' | 'periodEnd'
> & { kind: 'adjustment' };

/** What the current period's overage invoice would bill now, and the next base fee. */
export interface OveragePreview {
  period: { start: Date; end: Date };
  lines: OverageLine[];
  /** Closed periods' adjustments the invoice would carry (corrections, usage logged after their bill). */
  adjustments: AdjustmentLine[];
  minimum: { description: string; amount: string } | null;
  nextBaseFee: { amount: string; start: Date; end: Date } | null;
}

function opened(
  subscription: SubscriptionEntity,
  period: SubscriptionPeriodEntity,
  ended: boolean,
): OpenedPeriod {
  return {
    ended,
    index: period.periodIndex,
    startMs: period.periodStart.getTime(),
    endMs: period.periodEnd.getTime(),
    baseInvoiceId: period.baseInvoiceId,
    customerId: subscription.customerId,
  };
}

function periodObject(subscription: SubscriptionEntity, period: SubscriptionPeriodEntity) {
  return {
    subscription: subscription.id,
    customer: subscription.customerId,
    period_start: period.periodStart.toISOString(),
    period_end: period.periodEnd.toISOString(),
  };
}

function itemStates(usage: PeriodItemUsage[]): ItemState[] {
  return usage.map((item) => ({
    metric: item.metricId,
    used: item.used,
    included: item.includedQuantity,
    overage: overageQuantity(item.used, item.includedQuantity),
  }));
}
