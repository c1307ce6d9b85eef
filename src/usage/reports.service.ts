import { Injectable } from '@nestjs/common';
import pLimit from 'p-limit';
import { validationErrorFromProblems } from '../common/errors/problems.js';
import { NotFoundError } from '../common/errors/tally-error.js';
import { minorUnitDigits } from '../common/money/currency.js';
import { ExactDecimal } from '../common/money/decimal.js';
import { rate } from '../metering/domain/rating.js';
import { priceFromJson, unitAmountOf } from '../metering/domain/price.js';
import type { BillingMetricEntity } from '../metering/billing-metric.entity.js';
import { MetricsService } from '../metering/metrics.service.js';
import type { PayerKind } from '../payers/payer.entity.js';
import { PayersService } from '../payers/payers.service.js';
import type { BucketState, HourlyBuckets } from './domain/bucket.js';
import { hourStart, negatedBucket } from './domain/bucket.js';
import { quantityOf, windowStateFromEvents } from './domain/quantity.js';
import {
  hourlyUsageByMetric,
  periodShares,
  seriesOf,
  totalOf,
  windowTotalsByMetric,
} from './domain/report.js';
import { ALL_PAYERS_MAX, sumPayerUsage, type PayerUsage } from './domain/payer-sum.js';
import { reportWindow, splitWindow } from './domain/report-window.js';
import type { EventReportQueryDto, ReportQueryDto } from './dto/report-query.dto.js';
import type {
  MetricUsageGroup,
  MetricUsagePeriod,
  MetricUsageReport,
  UsageEventsReport,
  UsageQuantity,
  UsageReport,
  UsageReportHeader,
  UsageReportMetric,
  UsageReportTotal,
} from './dto/usage-report-resource.dto.js';
import { UsageRepository, type TailEvent } from './usage.repository.js';
import { PAYER_QUERY_FIELDS, requirePayerSelection } from '../payers/domain/payer-selection.js';

/** How many payers' snapshots a merchant-wide report reads at once (of the pool's connections). */
const ALL_PAYERS_IN_FLIGHT = 4;

interface Scope {
  merchantId: string;
  payer: { kind: PayerKind; id: string };
  start: Date;
  end: Date;
}

/** The quantity of `state`, priced as one billing period would be (tiers over the whole quantity). */
function priced(metric: BillingMetricEntity, state: BucketState): UsageQuantity {
  const quantity = quantityOf(metric.aggregation, state, metric.timeUnit);
  return {
    quantity,
    amount: rate(quantity, priceFromJson(metric.price), metric.currency),
    event_count: state.count,
  };
}

/** A time series: each period's quantity, and its share of the window's amount (see periodShares). */
function seriesPoints(
  metric: BillingMetricEntity,
  periods: { start: Date; end: Date; state: BucketState }[],
): MetricUsagePeriod[] {
  const amounts = periodShares(
    periods.map((period) => period.state),
    (usageSoFar) => priced(metric, usageSoFar).amount,
    minorUnitDigits(metric.currency),
  );
  return periods.map((period, index) => ({
    start: period.start.toISOString(),
    end: period.end.toISOString(),
    quantity: quantityOf(metric.aggregation, period.state, metric.timeUnit),
    amount: amounts[index]!,
    event_count: period.state.count,
  }));
}

/** A metric's figures over `window` from its hourly usage, with the series and groups asked for. */
function usageOf(
  metric: BillingMetricEntity,
  query: EventReportQueryDto,
  window: { start: Date; end: Date },
  hours: HourlyBuckets | undefined,
  groups: MetricUsageGroup[] | undefined,
): PayerUsage {
  const series = query.window_size
    ? seriesPoints(metric, seriesOf(hours, window.start, window.end, query.window_size))
    : undefined;
  return { ...priced(metric, totalOf(hours)), ...(series && { series }), ...(groups && { groups }) };
}

function metricLine(metric: BillingMetricEntity, state: BucketState): UsageReportMetric {
  return {
    metric: metric.id,
    event_name: metric.eventName,
    name: metric.name,
    aggregation: metric.aggregation,
    unit_amount: unitAmountOf(priceFromJson(metric.price)),
    price: metric.price,
    currency: metric.currency,
    ...priced(metric, state),
  };
}

/** Amounts are already rounded per line; totals add them exactly, per currency. */
function totalsByCurrency(lines: { currency: string; amount: string }[]): UsageReportTotal[] {
  const totals = new Map<string, InstanceType<typeof ExactDecimal>>();
  for (const line of lines)
    totals.set(line.currency, (totals.get(line.currency) ?? new ExactDecimal(0)).plus(line.amount));
  return [...totals].map(([currency, amount]) => ({
    currency,
    amount: amount.toFixed(minorUnitDigits(currency)),
  }));
}

/** Usage reports: stored hourly buckets plus the not-yet-folded tail, priced per metric. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly usage: UsageRepository,
    private readonly metrics: MetricsService,
    private readonly payers: PayersService,
  ) {}

  /** Every metric (active, or archived with usage) with its quantity and amount, and the totals per currency. */
  async customerReport(merchantId: string, query: ReportQueryDto, now = new Date()): Promise<UsageReport> {
    const scope = await this.scope(merchantId, query, now);
    const [usage, metrics] = await Promise.all([this.totalsByMetric(scope), this.metrics.all(merchantId)]);
    const lines = metrics
      .filter((metric) => metric.status === 'active' || usage.has(metric.id))
      .map((metric) => metricLine(metric, usage.get(metric.id) ?? totalOf(undefined)));
    return {
      object: 'usage_report' as const,
      ...this.header(scope),
      metrics: lines,
      totals: totalsByCurrency(lines),
    };
  }

  /**
   * Each metric's exact quantity for a payer over any window [start, end), keyed by metric id
   * (metrics without usage are absent): what subscription periods measure their allotments with.
   */
  async quantities(
    merchantId: string,
    payer: { kind: PayerKind; id: string },
    start: Date,
    end: Date,
  ): Promise<Map<string, string>> {
    if (!(start < end)) return new Map();
    const [usage, metrics] = await Promise.all([
      this.totalsByMetric({ merchantId, payer, start, end }),
      this.metrics.all(merchantId),
    ]);
    const quantities = new Map<string, string>();
    for (const metric of metrics) {
      const state = usage.get(metric.id);
      if (state) quantities.set(metric.id, quantityOf(metric.aggregation, state, metric.timeUnit));
    }
    return quantities;
  }

  /**
   * Each metric's state for a payer over any window [start, end), as reports count it (stored
   * buckets, edges and the not-yet-folded tail), keyed by metric id: what the invoice preview reads.
   */
  async states(
    merchantId: string,
    payer: { kind: PayerKind; id: string },
    start: Date,
    end: Date,
  ): Promise<Map<string, BucketState>> {
    if (!(start < end)) return new Map();
    return this.totalsByMetric({ merchantId, payer, start, end });
  }

  /** The itemized breakdown: one row per metric with usage in the window. */
  async eventsReport(
    merchantId: string,
    query: ReportQueryDto,
    now = new Date(),
  ): Promise<UsageEventsReport> {
    const scope = await this.scope(merchantId, query, now);
    const [usage, metrics] = await Promise.all([this.totalsByMetric(scope), this.metrics.all(merchantId)]);
    const data = metrics
      .filter((metric) => usage.has(metric.id))
      .map((metric) => metricLine(metric, usage.get(metric.id) ?? totalOf(undefined)));
    return { object: 'list' as const, ...this.header(scope), data, has_more: false };
  }

  /**
   * One metric: quantity, amount and event count, with an optional time series and metadata
   * breakdown; for one payer, or (`payers=all`) every payer's own report added up.
   */
  async eventReport(
    merchantId: string,
    eventName: string,
    query: EventReportQueryDto,
    now = new Date(),
  ): Promise<MetricUsageReport> {
    if (query.payers === 'all') return this.allPayersEventReport(merchantId, eventName, query, now);
    const scope = await this.scope(merchantId, query, now);
    const metric = await this.metricOf(merchantId, eventName);
    return {
      object: 'metric_usage_report' as const,
      ...this.header(scope),
      ...metricLine(metric, totalOf(undefined)),
      ...(await this.payerUsage(scope, metric, query)),
      ...this.asked(query),
    };
  }

  private async allPayersEventReport(
    merchantId: string,
    eventName: string,
    query: EventReportQueryDto,
    now: Date,
  ): Promise<MetricUsageReport> {
    const given =
      query.customer_id !== undefined ? 'customer_id' : query.account_id !== undefined ? 'account_id' : null;
    if (given) {
      throw validationErrorFromProblems([
        { code: 'payer_conflict', param: given, message: `give payers=all or ${given}, not both` },
      ]);
    }
    const window = reportWindow(query, now);
    if (!window.ok) throw validationErrorFromProblems([window.problem]);
    const metric = await this.metricOf(merchantId, eventName);
    const payerIds = await this.usage.payersWithUsage(
      merchantId,
      metric.id,
      window.start,
      window.end,
      ALL_PAYERS_MAX + 1,
    );
    if (payerIds.length > ALL_PAYERS_MAX) {
      throw validationErrorFromProblems([
        {
          code: 'too_many_payers',
          param: 'payers',
          message: `more than ${ALL_PAYERS_MAX} customers and accounts used this metric in the window: ask per payer, or for a shorter window`,
        },
      ]);
    }
    // A few payers at a time: each is a short snapshot of its own, and the pool serves others too.
    const limit = pLimit(ALL_PAYERS_IN_FLIGHT);
    const reports = await Promise.all(
      payerIds.map((id) =>
        limit(() => {
          const payer = { kind: (id.startsWith('acct_') ? 'account' : 'customer') as PayerKind, id };
          return this.payerUsage({ merchantId, payer, start: window.start, end: window.end }, metric, query);
        }),
      ),
    );
    const none = usageOf(metric, query, window, undefined, query.group_by ? [] : undefined);
    return {
      object: 'metric_usage_report' as const,
      customer: null,
      account: null,
      payers: 'all' as const,
      payer_count: reports.filter((report) => report.event_count !== 0).length,
      start: window.start.toISOString(),
      end: window.end.toISOString(),
      ...metricLine(metric, totalOf(undefined)),
      ...sumPayerUsage(none, reports, minorUnitDigits(metric.currency)),
      ...this.asked(query),
    };
  }

  /** The newest active metric of that event name, else the newest archived one. */
  private async metricOf(merchantId: string, eventName: string): Promise<BillingMetricEntity> {
    const metric = (await this.metrics.all(merchantId))
      .filter((m) => m.eventName === eventName)
      .sort((a, b) => (a.status === b.status ? b.id.localeCompare(a.id) : a.status === 'active' ? -1 : 1))[0];
    if (!metric) {
      throw new NotFoundError(
        'resource_missing',
        `No billing metric has event_name '${eventName}'.`,
        'event_name',
      );
    }
    return metric;
  }

  private asked(query: EventReportQueryDto) {
    return {
      ...(query.window_size && { window_size: query.window_size }),
      ...(query.group_by && { group_by: query.group_by }),
    };
  }

  /** One payer's usage of one metric, as its own report counts it. */
  private async payerUsage(scope: Scope, metric: BillingMetricEntity, query: EventReportQueryDto) {
    const hours = (await this.usageByMetric(scope, metric.id)).get(metric.id);
    const groups = query.group_by ? await this.groups(scope, metric, query.group_by) : undefined;
    return usageOf(metric, query, scope, hours, groups);
  }

  private async groups(scope: Scope, metric: BillingMetricEntity, key: string): Promise<MetricUsageGroup[]> {
    const events = await this.usage.eventsByMetadata(
      scope.merchantId,
      scope.payer.id,
      scope.start,
      scope.end,
      metric.id,
      key,
    );
    const byValue = new Map<string | null, typeof events>();
    for (const event of events) {
      const group = byValue.get(event.groupValue) ?? [];
      group.push(event);
      byValue.set(event.groupValue, group);
    }
    return [...byValue].map(([value, group]) => ({
      value,
      ...priced(metric, windowStateFromEvents(group, scope.start, scope.end)),
    }));
  }

  private async totalsByMetric(scope: Scope) {
    const { snapshot, hours } = await this.read(scope);
    return windowTotalsByMetric(snapshot.buckets, snapshot.tail, hours.start, hours.end);
  }

  private async usageByMetric(scope: Scope, metricId?: string) {
    const { snapshot, hours } = await this.read(scope, metricId);
    return hourlyUsageByMetric(snapshot.buckets, snapshot.tail, hours.start, hours.end);
  }

  /**
   * The window's usage as buckets: stored ones for its whole hours, and for each partial hour at
   * an edge either its stored bucket less the few events outside the window (`UsageRepository.snapshot`)
   * or one computed from its raw events (placed at that hour, so series put it right).
   */
  private async read(scope: Scope, metricId?: string) {
    const split = splitWindow(scope.start, scope.end);
    const snapshot = await this.usage.snapshot(
      scope.merchantId,
      scope.payer.id,
      split.hours,
      split.edges,
      metricId,
    );
    const hours = snapshot.hours ?? { start: scope.start, end: scope.start };
    const bucketsOf = (range: { start: Date; end: Date; events: TailEvent[] }, sign: 1 | -1) =>
      [...new Set(range.events.map((event) => event.metricId))].map((rangeMetric) => {
        const state = windowStateFromEvents(
          range.events.filter((event) => event.metricId === rangeMetric),
          range.start,
          range.end,
        );
        return {
          metricId: rangeMetric,
          hour: hourStart(range.start),
          state: sign === 1 ? state : negatedBucket(state),
        };
      });
    const edgeBuckets = snapshot.edges.flatMap((edge) => bucketsOf(edge, 1));
    const outsideBuckets = snapshot.outside.flatMap((range) => bucketsOf(range, -1));
    return {
      snapshot: { buckets: [...snapshot.buckets, ...edgeBuckets, ...outsideBuckets], tail: snapshot.tail },
      hours,
    };
  }

  private header(scope: Scope): UsageReportHeader {
    return {
      customer: scope.payer.kind === 'customer' ? scope.payer.id : null,
      account: scope.payer.kind === 'account' ? scope.payer.id : null,
      start: scope.start.toISOString(),
      end: scope.end.toISOString(),
    };
  }

  private async scope(merchantId: string, query: ReportQueryDto, now: Date): Promise<Scope> {
    const selection = requirePayerSelection(
      { customer: query.customer_id, account: query.account_id },
      PAYER_QUERY_FIELDS,
    );
    if (!selection.ok) throw validationErrorFromProblems([selection.problem]);
    const { kind, id } = selection.payer;
    const window = reportWindow(query, now);
    if (!window.ok) throw validationErrorFromProblems([window.problem]);
    if (!(await this.payers.exists(merchantId, kind, id))) throw NotFoundError.resource(kind, id);
    return { merchantId, payer: { kind, id }, start: window.start, end: window.end };
  }
}
