import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { creditWindowEnd, creditWindowStart } from '../credits/domain/credit-window.js';
import { MetricsService, type MetricPricing } from '../metering/metrics.service.js';
import { type InvoiceMilestone, PipelineEventBus } from '../pipeline/pipeline-events.js';
import type { BucketState } from '../usage/domain/bucket.js';
import { UsageLedger } from '../usage/usage-ledger.js';
import type { MetricUsageEvent } from '../usage/usage-event-row.js';
import {
  type BillingPeriod,
  periodLabel,
  periodLine,
  samePeriod,
  type PeriodPlan,
  type UsageLine,
  type UsageLineKind,
} from './domain/invoice-lines.js';
import { InvoicesRepository, periodKey } from './invoices.repository.js';

/** One metric's usage of one billing period, to price: the state of the invoice's own events of it. */
export interface PeriodGroup {
  metricId: string;
  kind: UsageLineKind;
  period: BillingPeriod;
  state: BucketState;
  /** The invoices whose billed versions the group's reversals take out (see correctedInvoices). */
  corrects?: readonly string[];
}

/** The invoices an invoice's events correct: those that billed the versions its reversals take out. */
export function correctedInvoices(events: readonly MetricUsageEvent[], invoiceId: string | null): string[] {
  const ids = events
    .map((event) => event.correctsInvoiceId)
    .filter((id): id is string => typeof id === 'string' && id !== invoiceId);
  return [...new Set(ids)].sort();
}

/** The billing invoice (or its preview) being priced. */
export interface PricedInvoice extends InvoiceMilestone {
  /** The window asked for: lines of other periods name theirs. */
  window: BillingPeriod;
}

/**
 * How a billing invoice's usage becomes lines, for issuing and for the preview alike: which
 * billing periods it prices, and each (metric, period) priced over the period's whole quantity
 * as the signed difference to what earlier invoices billed of it. A negative difference (usage
 * corrected down, or a volume price falling into a cheaper tier) is a negative line: the invoice
 * balance carries what an invoice's lines owe the payer (see settleWithBalance).
 */
@Injectable()
export class UsagePricingService {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly ledger: UsageLedger,
    private readonly metrics: MetricsService,
    private readonly events: PipelineEventBus,
  ) {}

  /** The invoice's window (late usage: the earlier windows), or a prepaid payer's credit windows. */
  async periodPlan(
    tx: EntityManager,
    invoice: PricedInvoice,
    earlierWindows: readonly BillingPeriod[],
  ): Promise<PeriodPlan> {
    const { answers } = await this.events.publish(tx, 'invoice.pricing_periods', { invoice });
    return answers.includes('credit_window')
      ? { kind: 'credit_window', windowOf: creditWindowOf }
      : { kind: 'invoice_window', window: invoice.window, earlierWindows };
  }

  /** One line per group, in the order given, with the metric it prices (groups of unknown metrics are left out). */
  async price<G extends PeriodGroup>(
    tx: EntityManager,
    invoice: PricedInvoice,
    groups: readonly G[],
  ): Promise<Array<{ line: UsageLine; metric: MetricPricing; group: G }>> {
    const metrics = await this.metrics.pricing(
      invoice.merchantId,
      groups.map((group) => group.metricId),
      tx,
    );
    const byId = new Map(metrics.map((metric) => [metric.id, metric]));
    const known = groups.filter((group) => byId.has(group.metricId));
    const earlier = await this.invoices.billedPeriods(tx, {
      merchantId: invoice.merchantId,
      payerId: invoice.payerId,
      currency: invoice.currency,
      excludeInvoiceId: invoice.id,
      periods: known.map((group) => ({ metricId: group.metricId, ...group.period })),
    });
    const numbers = await this.invoices.numbersOf(
      tx,
      invoice.merchantId,
      known.flatMap((group) => group.corrects ?? []),
    );
    const priced = [];
    for (const group of known) {
      const metric = byId.get(group.metricId)!;
      const billed = earlier.get(periodKey(group.metricId, group.period.start, group.period.end));
      const state = billed
        ? await this.ledger.billedState(tx, {
            merchantId: invoice.merchantId,
            payerId: invoice.payerId,
            metricId: group.metricId,
            start: group.period.start,
            end: group.period.end,
            invoiceIds: billed.invoiceIds,
          })
        : null;
      const own = samePeriod(group.period, invoice.window);
      const line = periodLine(
        {
          metric,
          kind: group.kind,
          period: group.period,
          state: group.state,
          earlier: billed && state ? { state, amount: billed.amount } : null,
          corrects: (group.corrects ?? []).map((id) => numbers.get(id) ?? id),
        },
        invoice.currency,
        own ? null : periodLabel(group.period),
      );
      priced.push({ line, metric, group });
    }
    return priced;
  }
}

function creditWindowOf(at: Date): BillingPeriod {
  const start = creditWindowStart(at);
  return { start, end: creditWindowEnd(start) };
}
