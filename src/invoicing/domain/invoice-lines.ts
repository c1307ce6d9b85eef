import {
  BucketBuilder,
  emptyBucket,
  mergeBuckets,
  pointContribution,
  signedMs,
  type BucketState,
  type UsageEvent,
} from '../../usage/domain/bucket.js';
import { quantityOf } from '../../usage/domain/quantity.js';
import type { Aggregation, TimeUnit } from '../../metering/domain/aggregation.js';
import { unitAmountOf, type Price } from '../../metering/domain/price.js';
import {
  closedPeriodDifference,
  type PricedQuantity,
  type TierAmount,
} from '../../metering/domain/rating.js';
import type { LineTier } from '../invoice-line.entity.js';

/** What pricing needs of a metric. */
export interface PricedMetric {
  id: string;
  name: string;
  aggregation: Aggregation;
  timeUnit: TimeUnit | null;
  price: Price;
}

/** `adjustment`: late usage holding corrections of versions earlier invoices billed. */
export type UsageLineKind = 'usage' | 'late_usage' | 'adjustment';

/** A billing period [start, end) that a usage line prices. */
export interface BillingPeriod {
  start: Date;
  end: Date;
}

export interface UsageLine {
  kind: UsageLineKind;
  metricId: string;
  description: string;
  quantity: string;
  unitAmount: string | null;
  amount: string;
  tiers: LineTier[];
  periodStart: Date;
  periodEnd: Date;
}

/**
 * The state of a set of events billed together. Each event is billed once, whole, on the
 * invoice that takes it: a time_duration event counts its full interval there (an invoice
 * takes an event by its timestamp, so its duration cannot be split across invoices).
 */
export function billedState(
  events: readonly UsageEvent[],
  earlier: BucketState = emptyBucket(),
): BucketState {
  const state = new BucketBuilder().add(earlier);
  for (const event of events) {
    state.add(pointContribution(event));
    if (event.startTime !== null && event.endTime !== null && event.endTime > event.startTime) {
      state.add({
        ...emptyBucket(),
        durationMs: signedMs(event, event.endTime.getTime() - event.startTime.getTime()),
      });
    }
  }
  return state.build();
}

/** The quantity of a set of events billed together (see billedState). */
export function billedQuantity(
  metric: Pick<PricedMetric, 'aggregation' | 'timeUnit'>,
  events: readonly UsageEvent[],
): string {
  return quantityOf(metric.aggregation, billedState(events), metric.timeUnit);
}

/** What earlier invoices billed of one metric's period: the state of their events and their lines' amounts. */
export interface EarlierBilling {
  state: BucketState;
  amount: string;
}

/** One metric's usage of one billing period that an invoice takes. */
export interface PeriodUsage {
  metric: PricedMetric;
  kind: UsageLineKind;
  period: BillingPeriod;
  /** The state of the invoice's own events of the period (billedState of them, or the same read from buckets). */
  state: BucketState;
  /** null: no earlier invoice billed this metric's period. */
  earlier: EarlierBilling | null;
  /** The numbers of the invoices whose billed events this usage corrects (none: plain usage). */
  corrects?: readonly string[];
}

/**
 * The line of one metric's period: the signed difference the invoice's events make to the
 * period's amount, with the tiers over the whole period's quantity, so usage billed in parts
 * (several invoices of a month, late usage) costs exactly what it would have cost at once.
 * `periodLabel` names the period when it is not the invoice's own window.
 */
export function periodLine(usage: PeriodUsage, currency: string, periodLabel: string | null): UsageLine {
  const { metric } = usage;
  const earlierState = usage.earlier?.state ?? emptyBucket();
  const priced = closedPeriodDifference({
    billedQuantity: quantityOf(metric.aggregation, earlierState, metric.timeUnit),
    billed: usage.earlier?.amount ?? '0',
    quantity: quantityOf(metric.aggregation, mergeBuckets(earlierState, usage.state), metric.timeUnit),
    price: metric.price,
    currency,
  });
  const corrects = usage.corrects ?? [];
  const kind = corrects.length > 0 && usage.kind === 'late_usage' ? 'adjustment' : usage.kind;
  const described = describe(metric.name, usage.kind, periodLabel, priced);
  return {
    kind,
    metricId: metric.id,
    description: corrects.length > 0 ? `Correction to ${corrects.join(', ')}: ${described}` : described,
    quantity: quantityOf(metric.aggregation, usage.state, metric.timeUnit),
    unitAmount: unitAmountOf(metric.price),
    amount: priced.amount,
    tiers: priced.tiers.map(lineTier),
    periodStart: usage.period.start,
    periodEnd: usage.period.end,
  };
}

/** "API calls", "API calls (usage from earlier periods: 2026-11-01 to 2026-12-01, line minimum)". */
function describe(
  name: string,
  kind: UsageLineKind,
  periodLabel: string | null,
  priced: PricedQuantity,
): string {
  const when =
    kind === 'late_usage'
      ? `usage from earlier periods${periodLabel ? `: ${periodLabel}` : ''}`
      : periodLabel;
  const bound =
    priced.bound === 'minimum' ? 'line minimum' : priced.bound === 'maximum' ? 'line maximum' : null;
  const notes = [when, bound].filter((note): note is string => note !== null);
  return notes.length === 0 ? name : `${name} (${notes.join(', ')})`;
}

export function lineTier(row: TierAmount): LineTier {
  return {
    from: row.from,
    to: row.to,
    quantity: row.quantity,
    unit_amount: row.unitAmount,
    flat_amount: row.flatAmount,
    amount: row.amount,
  };
}

/** Whether two billing periods are the same span. */
export const samePeriod = (a: BillingPeriod, b: BillingPeriod) =>
  a.start.getTime() === b.start.getTime() && a.end.getTime() === b.end.getTime();

/** A line another context adds to a billing invoice (credits applied), as an invoice line of one unit. */
export function extraLine<L extends { amount: string }>(line: L) {
  return {
    ...line,
    metricId: null,
    quantity: '1',
    unitAmount: line.amount,
    tiers: null,
    periodStart: null,
    periodEnd: null,
  };
}

/** "2026-11-01 to 2026-12-01": a period as a line names it. */
export function periodLabel(period: BillingPeriod): string {
  return `${period.start.toISOString().slice(0, 10)} to ${period.end.toISOString().slice(0, 10)}`;
}

/**
 * How a billing invoice groups its usage into billing periods: over its own window (late events
 * over the window of the earlier invoice that billed their time), or, for a prepaid payer, over
 * each credit window (UTC month) the events fall in, so the amounts equal what credits draw.
 */
export type PeriodPlan =
  | { kind: 'invoice_window'; window: BillingPeriod; earlierWindows: readonly BillingPeriod[] }
  | { kind: 'credit_window'; windowOf: (at: Date) => BillingPeriod };

interface Claimed<E> {
  window: ReadonlyMap<string, readonly E[]>;
  late: ReadonlyMap<string, readonly E[]>;
}

/** The (metric, period) groups of an invoice's claimed events: the window's usage, then late usage, each by metric and period. */
export function groupByPeriod<E extends UsageEvent>(
  claimed: Claimed<E>,
  plan: PeriodPlan,
): Array<{ metricId: string; kind: UsageLineKind; period: BillingPeriod; events: E[] }> {
  const groups = new Map<
    string,
    { metricId: string; kind: UsageLineKind; period: BillingPeriod; events: E[] }
  >();
  const place = (metricId: string, kind: UsageLineKind, event: E) => {
    const period = periodOf(plan, kind, event.timestamp);
    const key = `${metricId}\u0000${period.start.getTime()}\u0000${period.end.getTime()}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { metricId, kind, period, events: [] }));
    // A credit window holding window and late events of the metric is one line, of this window's usage.
    if (kind === 'usage') group.kind = 'usage';
    group.events.push(event);
  };
  for (const [metricId, events] of claimed.window)
    for (const event of events) place(metricId, 'usage', event);
  for (const [metricId, events] of claimed.late)
    for (const event of events) place(metricId, 'late_usage', event);
  return [...groups.values()].sort(lineOrder);
}

/** The order of an invoice's usage lines: the window's usage, then late usage, each by metric and period. */
export function lineOrder(
  a: { kind: UsageLineKind; metricId: string; period: BillingPeriod },
  b: { kind: UsageLineKind; metricId: string; period: BillingPeriod },
): number {
  return (
    (a.kind === 'usage' ? 0 : 1) - (b.kind === 'usage' ? 0 : 1) ||
    (a.metricId < b.metricId ? -1 : a.metricId > b.metricId ? 1 : 0) ||
    a.period.start.getTime() - b.period.start.getTime()
  );
}

function periodOf(plan: PeriodPlan, kind: UsageLineKind, at: Date): BillingPeriod {
  if (plan.kind === 'credit_window') return plan.windowOf(at);
  if (kind === 'usage') return plan.window;
  // The latest-starting earlier window holding the event: the one whose invoice billed its time.
  let found: BillingPeriod | null = null;
  for (const window of plan.earlierWindows) {
    if (at >= window.start && at < window.end && (!found || window.start > found.start)) found = window;
  }
  return found ?? { start: at, end: new Date(at.getTime() + 1) };
}
