import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FoldSource } from '../pipeline/pipeline-events.js';
import { RollupRepository } from './rollup.repository.js';
import {
  type BilledEventsQuery,
  type ClaimedUsage,
  type InvoiceClaim,
  type MetricWindowUsage,
  type PeriodClaim,
  UsageLedgerRepository,
} from './usage-ledger.repository.js';

/**
 * The usage ledger: the one owner of an event's lifecycle (logged → aggregated → invoiced →
 * paid) and of reading buckets and raw events for billing. Invoicing, subscriptions and credits
 * ask it, each in its own transaction; nothing else writes an event's status.
 */
@Injectable()
export class UsageLedger {
  constructor(
    private readonly repository: UsageLedgerRepository,
    private readonly rollup: RollupRepository,
  ) {}

  /** Folds the payer's logged events timestamped before `until` (what depends on folds runs in `tx`). */
  fold(tx: EntityManager, merchantId: string, payerId: string, until: Date, source: FoldSource) {
    return this.rollup.rollUpPayer(tx, merchantId, payerId, until, source);
  }

  /** A billing invoice takes its window's usage and the late usage of windows already billed. */
  claimForInvoice(tx: EntityManager, claim: InvoiceClaim): Promise<ClaimedUsage> {
    return this.repository.claimForInvoice(tx, claim);
  }

  /** Until `tx` ends, no other invoice prices this payer's usage (see lockPayerBilling). */
  lockPayerBilling(tx: EntityManager, merchantId: string, payerId: string): Promise<void> {
    return this.repository.lockPayerBilling(tx, merchantId, payerId);
  }

  /** What given invoices billed of one metric's period, as a bucket state (for pricing the period's difference). */
  billedState(tx: EntityManager, query: BilledEventsQuery) {
    return this.repository.billedState(tx, query);
  }

  /** Per metric, the payer's events in [start, end) no invoice took, as an invoice counts them (for previews). */
  unbilledState(
    tx: EntityManager,
    query: { merchantId: string; payerId: string; metricIds: string[]; start: Date; end: Date },
  ) {
    return this.repository.unbilledState(tx, query);
  }

  /** Per metric, the payer's events in [start, end) that invoices took (for previews). */
  takenState(tx: EntityManager, query: { merchantId: string; payerId: string; start: Date; end: Date }) {
    return this.repository.takenState(tx, query);
  }

  /** The late usage the payer's next billing invoice would take before `before` (for previews). */
  pendingLate(
    tx: EntityManager,
    query: { merchantId: string; payerId: string; metricIds: string[]; before: Date },
  ) {
    return this.repository.pendingLate(tx, query);
  }

  /** A subscription period's invoice takes the usage of its items' metrics. */
  claimForPeriod(tx: EntityManager, claim: PeriodClaim): Promise<void> {
    return this.repository.claimForPeriod(tx, claim);
  }

  /** The payer's aggregated events in [start, end) no invoice took (a subscription's closed periods). */
  unclaimedBetween(
    tx: EntityManager,
    query: { merchantId: string; payerId: string; start: Date; end: Date },
  ) {
    return this.repository.unclaimedBetween(tx, query);
  }

  /** The invoice was paid: its events are paid. */
  markPaid(tx: EntityManager, merchantId: string, invoiceId: string): Promise<void> {
    return this.repository.settle(tx, merchantId, invoiceId, 'paid');
  }

  /** The invoice was voided: its events are released to be billed again, and its claim undone. */
  releaseOnVoid(tx: EntityManager, merchantId: string, invoiceId: string): Promise<void> {
    return this.repository.settle(tx, merchantId, invoiceId, 'released');
  }

  /** The metrics with usage of the payer in [start, end) that no invoice has taken yet. */
  pendingMetricIds(merchantId: string, payerId: string, start: Date, end: Date): Promise<string[]> {
    return this.repository.pendingMetricIds(merchantId, payerId, start, end);
  }

  /** The payer's folded usage per metric in the window [start, end) (whole hours). */
  windowUsage(
    tx: EntityManager,
    merchantId: string,
    payerId: string,
    start: Date,
    end: Date,
  ): Promise<MetricWindowUsage[]> {
    return this.repository.windowUsage(tx, merchantId, payerId, start, end);
  }
}
