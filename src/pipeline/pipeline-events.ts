import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PricedMetric } from '../invoicing/domain/invoice-lines.js';
import type { MetricUsageEvent } from '../usage/usage-event-row.js';

/** One payer's usage a fold just added to the buckets, and the time span it touched. */
export interface FoldedPayer {
  merchantId: string;
  payerId: string;
  from: Date;
  to: Date;
  /** The events whose corrections (reversals, new versions) the fold held, in the order folded. */
  corrections?: string[];
}

/**
 * What folded it: a rollup batch (id: its last ingestion seq), or an invoice or a subscription
 * period aggregating its payer's pending events first.
 */
export interface FoldSource {
  type: 'rollup' | 'invoice' | 'subscription';
  id: string;
}

/** The invoice a milestone is about. */
export interface InvoiceMilestone {
  merchantId: string;
  id: string;
  kind: string;
  payerId: string;
  currency: string;
}

/** One usage line of a billing invoice: a metric's billing period, its events on this invoice and its amount. */
export interface BilledLine {
  metric: PricedMetric;
  periodStart: Date;
  periodEnd: Date;
  events: readonly MetricUsageEvent[];
  amount: string;
}

/** The usage a billing invoice took, as it priced it. */
export interface BilledUsage {
  lines: readonly BilledLine[];
  /** The sum of the usage lines' amounts. */
  total: string;
}

/**
 * How a billing invoice's usage is grouped into billing periods: `credit_window` when the payer
 * is prepaid in the invoice's currency (its usage is priced per credit window, as credits draw).
 */
export type PricingPeriods = 'invoice_window' | 'credit_window';

/** A line another context adds to a billing invoice (prepaid credits applied: negative). */
export interface ExtraLine {
  kind: 'credits_applied';
  description: string;
  amount: string;
}

/** Work to do once the transaction committed (dispatch webhooks, signal workflows). */
export type AfterCommit = () => Promise<void>;

/**
 * The pipeline's milestones: what each carries, and what a handler inside its transaction may
 * answer. Every fold publishes `usage.folded` (rollup batches, and the folds invoices and
 * subscription periods run first), with one shape.
 */
export interface PipelineEvents {
  'usage.folded': { payload: { payers: FoldedPayer[]; source: FoldSource }; answer: never };
  'invoice.pricing_periods': { payload: { invoice: InvoiceMilestone }; answer: PricingPeriods };
  'invoice.usage_billed': { payload: { invoice: InvoiceMilestone; usage: BilledUsage }; answer: ExtraLine[] };
  'invoice.paid': { payload: { invoice: InvoiceMilestone }; answer: never };
  'invoice.voided': { payload: { invoice: InvoiceMilestone }; answer: never };
}

export type PipelineEvent = keyof PipelineEvents;
type Payload<K extends PipelineEvent> = PipelineEvents[K]['payload'];
type Answer<K extends PipelineEvent> = PipelineEvents[K]['answer'];

/** What a handler inside the transaction does: answer (usage_billed), and/or leave work for after the commit. */
export type Within<K extends PipelineEvent> = { answer?: Answer<K>; afterCommit?: AfterCommit | null } | void;

type WithinHandler<K extends PipelineEvent> = (tx: EntityManager, payload: Payload<K>) => Promise<Within<K>>;
type Reaction<K extends PipelineEvent> = (payload: Payload<K>) => Promise<void>;

/**
 * The one in-process event map between contexts, in two phases. Handlers that must commit with
 * the change (credit draws, credits applied) run inside its transaction; reactions that only
 * signal workflows run after the commit, and a failing one is logged, never undoing the commit.
 * Contexts that build on another (credits on usage and invoicing, subscriptions on usage)
 * subscribe when their module starts; the publisher never imports them.
 */
@Injectable()
export class PipelineEventBus {
  // Stored untyped; onWithin / afterCommit / publish keep each event's types together.
  private readonly within = new Map<PipelineEvent, unknown[]>();
  private readonly reactions = new Map<PipelineEvent, unknown[]>();

  /** Handle `event` inside the transaction that publishes it. */
  onWithin<K extends PipelineEvent>(event: K, handler: WithinHandler<K>): void {
    this.within.set(event, [...(this.within.get(event) ?? []), handler]);
  }

  /** React to `event` once its transaction has committed. */
  afterCommit<K extends PipelineEvent>(event: K, reaction: Reaction<K>): void {
    this.reactions.set(event, [...(this.reactions.get(event) ?? []), reaction]);
  }

  /** Runs the in-transaction handlers; answers their answers and the after-commit work, reactions included. */
  async publish<K extends PipelineEvent>(
    tx: EntityManager,
    event: K,
    payload: Payload<K>,
  ): Promise<{ answers: Array<Answer<K>>; afterCommit: AfterCommit[] }> {
    const answers: Array<Answer<K>> = [];
    const afterCommit: AfterCommit[] = [];
    for (const handler of (this.within.get(event) ?? []) as Array<WithinHandler<K>>) {
      const result = await handler(tx, payload);
      if (result?.answer !== undefined) answers.push(result.answer);
      if (result?.afterCommit) afterCommit.push(result.afterCommit);
    }
    for (const reaction of (this.reactions.get(event) ?? []) as Array<Reaction<K>>) {
      afterCommit.push(() => reaction(payload));
    }
    return { answers, afterCommit };
  }
}

const logger = new Logger('PipelineEventBus');

/** Runs after-commit work; a failure is logged and never undoes the commit (the sweepers and the next signal recover). */
export async function runAfterCommit(tasks: readonly AfterCommit[]): Promise<void> {
  for (const task of tasks) {
    try {
      await task();
    } catch (error) {
      logger.warn(
        `after-commit step failed (the sweepers and the next signal recover it): ${(error as Error).message}`,
      );
    }
  }
}
