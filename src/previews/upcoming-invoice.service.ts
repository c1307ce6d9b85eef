import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ConflictError, ValidationError } from '../common/errors/tally-error.js';
import { isIdOf } from '../common/ids/ids.js';
import { CreditDrawsService } from '../credits/credit-draws.service.js';
import { creditWindowEnd, creditWindowStart } from '../credits/domain/credit-window.js';
import {
  billedState,
  extraLine,
  samePeriod,
  type BillingPeriod,
  groupByPeriod,
  lineOrder,
  lineTier,
  type PeriodPlan,
  type UsageLine,
} from '../invoicing/domain/invoice-lines.js';
import { invoiceTotal } from '../invoicing/domain/invoice-totals.js';
import { usageCurrency } from '../invoicing/domain/usage-currency.js';
import type { InvoiceLineEntity } from '../invoicing/invoice-line.entity.js';
import type { InvoiceEntity } from '../invoicing/invoice.entity.js';
import { presentInvoice } from '../invoicing/invoices.presenter.js';
import { InvoiceBalanceService } from '../invoicing/invoice-balance.service.js';
import { InvoicesService } from '../invoicing/invoices.service.js';
import {
  type PeriodGroup,
  type PricedInvoice,
  correctedInvoices,
  UsagePricingService,
} from '../invoicing/usage-pricing.service.js';
import { MetricsService, type MetricPricing } from '../metering/metrics.service.js';
import type { PayerEntity } from '../payers/payer.entity.js';
import { PayersService } from '../payers/payers.service.js';
import type { ExtraLine } from '../pipeline/pipeline-events.js';
import { SubscriptionsService } from '../subscriptions/subscriptions.service.js';
import { type BucketState, isEmptyBucket, mergeBuckets, negatedBucket } from '../usage/domain/bucket.js';
import { ReportsService } from '../usage/reports.service.js';
import { UsageLedger } from '../usage/usage-ledger.js';
import type { UpcomingInvoiceQueryDto } from './dto/upcoming-invoice-query.dto.js';
import type { UpcomingInvoice } from './dto/upcoming-invoice-resource.dto.js';

type DraftLine = Pick<
  InvoiceLineEntity,
  | 'kind'
  | 'metricId'
  | 'description'
  | 'quantity'
  | 'unitAmount'
  | 'amount'
  | 'tiers'
  | 'periodStart'
  | 'periodEnd'
>;

/**
 * The invoice preview: what `POST /v1/billing/billing_invoice` would issue for a window now, or
 * what a subscription's current period would bill now, priced by the same functions as real
 * invoices and written nowhere (no fold, no claim, no draw, no number).
 */
@Injectable()
export class UpcomingInvoiceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly payers: PayersService,
    private readonly invoices: InvoicesService,
    private readonly pricing: UsagePricingService,
    private readonly metrics: MetricsService,
    private readonly reports: ReportsService,
    private readonly ledger: UsageLedger,
    private readonly credits: CreditDrawsService,
    private readonly subscriptions: SubscriptionsService,
    private readonly balance: InvoiceBalanceService,
  ) {}

  async upcoming(
    merchantId: string,
    query: UpcomingInvoiceQueryDto,
    now = new Date(),
  ): Promise<UpcomingInvoice> {
    if (query.subscription !== undefined) return this.subscriptionPreview(merchantId, query, now);
    const payer = await this.payers.requirePayer(merchantId, query, { missing: 'invalid' });
    const end = query.end_date ? new Date(query.end_date) : now;
    const start = query.start_date
      ? new Date(query.start_date)
      : ((await this.invoices.lastBillingEnd(merchantId, payer.id)) ?? creditWindowStart(now));
    if (!(start < end)) {
      throw new ValidationError(
        'window_invalid',
        query.start_date || query.end_date
          ? 'end_date must be after start_date.'
          : `The payer's latest billing invoice ends at ${start.toISOString()}, after now: give start_date and end_date.`,
        'end_date',
      );
    }
    // One snapshot for what invoices took, earlier lines and credits (the window's usage is read
    // in the reports' own snapshot, a moment apart: a fold between them moves no amount).
    return this.db.transaction('REPEATABLE READ', (tx) =>
      this.billingPreview(tx, merchantId, payer, query, { start, end }, now),
    );
  }

  private async billingPreview(
    tx: EntityManager,
    merchantId: string,
    payer: PayerEntity,
    query: UpcomingInvoiceQueryDto,
    window: BillingPeriod,
    now: Date,
  ): Promise<UpcomingInvoice> {
    const payerRef = { kind: payer.kind, id: payer.id };
    const whole = await this.reports.states(merchantId, payerRef, window.start, window.end);
    // The currency of the usage no invoice took (what the billing invoice would take).
    const taken = await this.ledger.takenState(tx, { merchantId, payerId: payer.id, ...window });
    const used = await this.metrics.pricing(
      merchantId,
      [...whole]
        .filter(([id, state]) => {
          const took = taken.get(id);
          return !isEmptyBucket(took ? mergeBuckets(state, negatedBucket(took)) : state);
        })
        .map(([id]) => id),
      tx,
    );
    const currency =
      query.currency ??
      usageCurrency(
        used.map((metric) => metric.currency),
        'preview',
      );
    const inCurrency = await this.metrics.idsInCurrency(merchantId, currency, tx);
    const invoice: PricedInvoice = {
      merchantId,
      id: '',
      kind: 'billing',
      payerId: payer.id,
      currency,
      window,
    };
    const late = await this.ledger.pendingLate(tx, {
      merchantId,
      payerId: payer.id,
      metricIds: inCurrency,
      before: window.start,
    });
    const plan = await this.pricing.periodPlan(tx, invoice, late.earlierWindows);
    const metrics = await this.metrics.pricing(merchantId, inCurrency, tx);
    const groups: PeriodGroup[] = [];
    for (const part of windowParts(plan, window)) {
      const states = samePeriod(part.range, window)
        ? whole
        : await this.reports.states(merchantId, payerRef, part.range.start, part.range.end);
      for (const [metricId, state] of await this.unbilled(
        tx,
        merchantId,
        payer.id,
        metrics,
        part.range,
        states,
      )) {
        groups.push({ metricId, kind: 'usage', period: part.period, state });
      }
    }
    const lateByMetric = new Map<string, typeof late.events>();
    for (const event of late.events)
      lateByMetric.set(event.metricId, [...(lateByMetric.get(event.metricId) ?? []), event]);
    for (const group of groupByPeriod({ window: new Map(), late: lateByMetric }, plan)) {
      groups.push({
        ...group,
        state: billedState(group.events),
        corrects: correctedInvoices(group.events, null),
      });
    }
    const priced = await this.pricing.price(tx, invoice, groups.sort(lineOrder));
    const usage = priced.map(({ line }) => line);
    const total = invoiceTotal(
      usage.map((line) => line.amount),
      currency,
    );
    const credits = await this.credits.previewApplied(tx, invoice, {
      lines: priced.map(({ line, metric }) => ({
        metric,
        periodStart: line.periodStart,
        periodEnd: line.periodEnd,
        events: [],
        amount: line.amount,
      })),
      total,
    });
    const rows = [...usage.map(usageRow), ...credits.map(extraRow)];
    return present(
      {
        kind: 'billing',
        payer,
        currency,
        collectionMethod: 'auto_charge',
        paymentMethodId: null,
        period: window,
        description: null,
        now,
      },
      [...rows, ...(await this.balanceRows(tx, payer, currency, 'billing', rows))],
      null,
    );
  }

  /**
   * Per metric of the window with events no invoice took: the reports' state less the events
   * invoices took, or, where an invoice counts otherwise (time_duration: an event's whole
   * interval), read from the raw events.
   */
  private async unbilled(
    tx: EntityManager,
    merchantId: string,
    payerId: string,
    metrics: readonly MetricPricing[],
    range: BillingPeriod,
    states: ReadonlyMap<string, BucketState>,
  ): Promise<Map<string, BucketState>> {
    const taken = await this.ledger.takenState(tx, { merchantId, payerId, ...range });
    const raw = metrics.filter((metric) => states.has(metric.id) && metric.aggregation === 'time_duration');
    const exact = await this.ledger.unbilledState(tx, {
      merchantId,
      payerId,
      metricIds: raw.map((metric) => metric.id),
      ...range,
    });
    const result = new Map<string, BucketState>();
    for (const metric of metrics) {
      const state = states.get(metric.id);
      if (!state) continue;
      const took = taken.get(metric.id);
      const unbilled = raw.includes(metric)
        ? exact.get(metric.id)
        : took
          ? mergeBuckets(state, negatedBucket(took))
          : state;
      if (unbilled && !isEmptyBucket(unbilled)) result.set(metric.id, unbilled);
    }
    return result;
  }

  private async subscriptionPreview(
    merchantId: string,
    query: UpcomingInvoiceQueryDto,
    now: Date,
  ): Promise<UpcomingInvoice> {
    const id = query.subscription!;
    const subscription = isIdOf('subscription', id) ? await this.subscriptions.find(merchantId, id) : null;
    if (!subscription || (query.customer !== undefined && query.customer !== subscription.customerId)) {
      throw new ValidationError('resource_missing', `No such subscription: '${id}'.`, 'subscription');
    }
    if (query.account !== undefined) {
      throw new ValidationError(
        'payer_conflict',
        'A subscription is billed to its customer, never to an account.',
        'account',
      );
    }
    const preview = await this.subscriptions.previewOverage(subscription, now);
    if (!preview) {
      throw new ConflictError(
        'subscription_not_started',
        `Subscription ${id} has not opened its first period yet.`,
      );
    }
    const payer = (await this.payers.findPayer(merchantId, 'customer', subscription.customerId))!;
    const period = { periodStart: preview.period.start, periodEnd: preview.period.end };
    const rows: DraftLine[] = [
      ...preview.lines.map((line) => ({
        kind: 'usage' as const,
        metricId: line.metricId,
        description: line.description,
        quantity: line.quantity,
        unitAmount: line.unitAmount,
        amount: line.amount,
        tiers: line.tiers.map(lineTier),
        ...period,
      })),
      ...(preview.minimum
        ? [
            {
              kind: 'minimum_commitment' as const,
              metricId: null,
              description: preview.minimum.description,
              quantity: '1',
              unitAmount: preview.minimum.amount,
              amount: preview.minimum.amount,
              tiers: null,
              ...period,
            },
          ]
        : []),
      ...preview.adjustments,
    ];
    rows.push(
      ...(await this.balanceRows(this.db.manager, payer, subscription.currency, 'subscription', rows)),
    );
    return present(
      {
        kind: 'subscription',
        payer,
        currency: subscription.currency,
        collectionMethod: subscription.collectionMethod,
        paymentMethodId: subscription.paymentMethodId,
        period: preview.period,
        description: `Subscription ${subscription.id}`,
        now,
      },
      rows,
      preview.nextBaseFee && {
        amount: preview.nextBaseFee.amount,
        period_start: preview.nextBaseFee.start.toISOString(),
        period_end: preview.nextBaseFee.end.toISOString(),
      },
    );
  }

  /** The invoice balance line the invoice would get if issued now (carried, or applied). */
  private async balanceRows(
    tx: EntityManager,
    payer: PayerEntity,
    currency: string,
    kind: 'billing' | 'subscription',
    rows: readonly DraftLine[],
  ): Promise<DraftLine[]> {
    const line = await this.balance.previewLine(
      tx,
      { merchantId: payer.merchantId, payerId: payer.id, currency, kind },
      rows.map((row) => row.amount),
    );
    return line ? [extraLine(line)] : [];
  }
}

/** The parts of the window each priced as its own period: the window, or its credit windows. */
function windowParts(
  plan: PeriodPlan,
  window: BillingPeriod,
): Array<{ range: BillingPeriod; period: BillingPeriod }> {
  if (plan.kind === 'invoice_window') return [{ range: window, period: window }];
  const parts = [];
  for (let start = creditWindowStart(window.start); start < window.end; start = creditWindowEnd(start)) {
    const period = plan.windowOf(start);
    parts.push({
      range: {
        start: new Date(Math.max(start.getTime(), window.start.getTime())),
        end: new Date(Math.min(period.end.getTime(), window.end.getTime())),
      },
      period,
    });
  }
  return parts;
}

const usageRow = (line: UsageLine): DraftLine => ({ ...line });

const extraRow = (line: ExtraLine): DraftLine => extraLine(line);

/** The preview as an invoice object: a draft with no id, no number and lines with no ids. */
function present(
  draft: {
    kind: 'billing' | 'subscription';
    payer: PayerEntity;
    currency: string;
    collectionMethod: InvoiceEntity['collectionMethod'];
    paymentMethodId: string | null;
    period: BillingPeriod;
    description: string | null;
    now: Date;
  },
  rows: DraftLine[],
  nextBaseFee: UpcomingInvoice['next_base_fee'],
): UpcomingInvoice {
  const total = invoiceTotal(
    rows.map((row) => row.amount),
    draft.currency,
  );
  const entity = {
    merchantId: draft.payer.merchantId,
    id: '',
    number: null,
    kind: draft.kind,
    status: 'draft',
    payerKind: draft.payer.kind,
    payerId: draft.payer.id,
    collectionMethod: draft.collectionMethod,
    paymentMethodId: draft.paymentMethodId,
    currency: draft.currency,
    periodStart: draft.period.start,
    periodEnd: draft.period.end,
    description: draft.description,
    metadata: {},
    total,
    amountPaid: '0',
    attemptCount: 0,
    nextPaymentAttempt: null,
    issuedAt: null,
    paidAt: null,
    voidedAt: null,
    workflowFailure: null,
    createdAt: draft.now,
  } as unknown as InvoiceEntity;
  const lines = rows.map(
    (row) => ({ ...row, id: '', invoiceId: '', merchantId: entity.merchantId }) as InvoiceLineEntity,
  );
  const { id: _id, lines: presented, ...rest } = presentInvoice(entity, lines);
  return {
    id: null,
    ...rest,
    lines: {
      object: 'list',
      data: presented.data.map(({ id: _line, object, invoice: _invoice, ...line }) => ({
        id: null,
        object,
        invoice: null,
        ...line,
      })),
      has_more: false,
    },
    next_base_fee: nextBaseFee,
  };
}
