import { NotFoundError } from '../common/errors/tally-error.js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { newId } from '../common/ids/ids.js';
import { ExactDecimal } from '../common/money/decimal.js';
import { PayersService } from '../payers/payers.service.js';
import {
  type AfterCommit,
  type InvoiceMilestone,
  PipelineEventBus,
  runAfterCommit,
} from '../pipeline/pipeline-events.js';
import { MetricsService } from '../metering/metrics.service.js';
import { UsageLedger } from '../usage/usage-ledger.js';
import { type RecordedWebhookEvent, WebhookEmitter } from '../webhooks/webhook-emitter.js';
import { billedState, extraLine, groupByPeriod } from './domain/invoice-lines.js';
import { correctedInvoices, UsagePricingService } from './usage-pricing.service.js';
import { isPayable, isVoidable } from './domain/invoice-status.js';
import { invoiceTotal, toMinorUnits } from './domain/invoice-totals.js';
import { InvoiceBalanceService } from './invoice-balance.service.js';
import { PAYMENT_GATEWAY, type ChargeResult, type PaymentGateway } from './gateway/payment-gateway.js';
import type { InvoiceEntity } from './invoice.entity.js';
import { InvoicesRepository } from './invoices.repository.js';
import { presentCharge, presentInvoice } from './invoices.presenter.js';
import { chargeAttempts } from '../observability/meters.js';
import type {
  ChargeInput,
  ChargeOutcome,
  ChargeStepResult,
  InvoiceSnapshot,
} from '../../workflows/contracts/invoice.contract.js';
import type { DomainFailure } from '../../workflows/contracts/failures.js';

/** What the pipeline's invoice milestones carry. */
function milestone(invoice: InvoiceEntity): InvoiceMilestone {
  return {
    merchantId: invoice.merchantId,
    id: invoice.id,
    kind: invoice.kind,
    payerId: invoice.payerId,
    currency: invoice.currency,
  };
}

function snapshot(invoice: InvoiceEntity): InvoiceSnapshot {
  return {
    status: invoice.status,
    collectionMethod: invoice.collectionMethod,
    attemptCount: invoice.attemptCount,
    total: invoice.total,
  };
}

/**
 * The invoice workflow's steps, each one transaction that also records its webhook events (the
 * outbox), each safe to run again: issuing an issued invoice, or charging an attempt already
 * recorded, changes nothing.
 */
@Injectable()
export class InvoiceCollectionService {
  private readonly logger = new Logger(InvoiceCollectionService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly invoices: InvoicesRepository,
    private readonly ledger: UsageLedger,
    private readonly metrics: MetricsService,
    private readonly pricing: UsagePricingService,
    private readonly balance: InvoiceBalanceService,
    private readonly payers: PayersService,
    private readonly webhooks: WebhookEmitter,
    private readonly events: PipelineEventBus,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  /**
   * Issues a draft: a billing invoice first aggregates its payer's pending events, takes the
   * usage of its window (and late usage of windows already invoiced) and prices it, one line per
   * metric; then the payer's invoice balance settles (a negative sum is carried to it, a positive
   * one uses it), the invoice gets its number and `billing.invoice.generated` is recorded. A zero
   * total is paid at once.
   */
  async issue(merchantId: string, invoiceId: string): Promise<InvoiceSnapshot> {
    const { invoice, events, after } = await this.db.transaction(async (tx) => {
      const draft = await this.invoices.lock(tx, merchantId, invoiceId);
      if (!draft) throw NotFoundError.resource('invoice', invoiceId);
      if (draft.status !== 'draft') return { invoice: draft, events: [], after: [] };
      const after = draft.kind === 'billing' ? await this.addUsageLines(tx, draft) : [];
      const lines = await this.balance.settle(
        tx,
        draft,
        await this.invoices.linesOf(merchantId, [invoiceId], tx),
      );
      const total = invoiceTotal(
        lines.map((line) => line.amount),
        draft.currency,
      );
      const now = new Date();
      const paidAtOnce = new ExactDecimal(total).isZero();
      const issued = await this.invoices.update(tx, merchantId, invoiceId, {
        number: await this.invoices.nextNumber(tx, merchantId),
        status: paidAtOnce ? 'paid' : 'open',
        total,
        issuedAt: now,
        paidAt: paidAtOnce ? now : null,
      });
      if (paidAtOnce) {
        await this.ledger.markPaid(tx, merchantId, invoiceId);
        after.push(
          ...(await this.events.publish(tx, 'invoice.paid', { invoice: milestone(issued) })).afterCommit,
        );
      }
      const recorded = await this.webhooks.record(tx, {
        merchantId,
        type: 'billing.invoice.generated',
        object: { ...presentInvoice(issued, lines) },
        payerId: issued.payerId,
      });
      return { invoice: issued, events: [recorded], after };
    });
    await this.webhooks.dispatch(events);
    await this.afterCommit(after);
    return snapshot(invoice);
  }

  /** One charge attempt. A decline is a result (the workflow schedules what follows), not an error. */
  async charge(input: ChargeInput): Promise<ChargeStepResult> {
    const { merchantId, invoiceId, attempt } = input;
    const invoice = await this.invoices.find(merchantId, invoiceId);
    if (!invoice) throw NotFoundError.resource('invoice', invoiceId);
    const done = await this.invoices.findCharge(this.db.manager, merchantId, invoiceId, attempt);
    if (done)
      return { outcome: done.status === 'succeeded' ? 'succeeded' : 'declined', invoice: snapshot(invoice) };
    if (!isPayable(invoice.status)) return { outcome: 'not_payable', invoice: snapshot(invoice) };

    const payer = await this.payers.findPayer(merchantId, invoice.payerKind, invoice.payerId);
    const method = payer
      ? await this.payers.paymentMethodFor(
          merchantId,
          payer,
          input.paymentMethodId ?? invoice.paymentMethodId,
        )
      : null;
    const result: ChargeResult | null = method
      ? await this.gateway.charge({
          merchantId,
          idempotencyKey: `${invoiceId}:${attempt}`,
          reference: invoiceId,
          token: method.token,
          amountMinor: toMinorUnits(invoice.total, invoice.currency),
          currency: invoice.currency,
        })
      : null;

    const { outcome, updated, events, after } = await this.db.transaction(async (tx) => {
      const current = (await this.invoices.lock(tx, merchantId, invoiceId))!;
      const recorded = await this.invoices.findCharge(tx, merchantId, invoiceId, attempt);
      if (recorded) {
        const earlier: ChargeOutcome = recorded.status === 'succeeded' ? 'succeeded' : 'declined';
        return { outcome: earlier, updated: current, events: [] as RecordedWebhookEvent[], after: [] };
      }
      const succeeded = result?.status === 'succeeded';
      const charge = await this.invoices.insertCharge(tx, {
        merchantId,
        id: newId('charge'),
        invoiceId,
        attempt,
        idempotencyKey: `${invoiceId}:${attempt}`,
        paymentMethodId: method?.id ?? null,
        amount: current.total,
        currency: current.currency,
        status: succeeded ? 'succeeded' : 'failed',
        failureCode:
          result === null
            ? 'payment_method_missing'
            : result.status === 'declined'
              ? result.declineCode
              : null,
        failureMessage:
          result === null
            ? 'The payer has no payment method to charge.'
            : result.status === 'declined'
              ? result.message
              : null,
        gatewayChargeId: result?.gatewayChargeId ?? null,
      });
      const now = new Date();
      const next =
        succeeded || input.retryDelayMs === null ? null : new Date(now.getTime() + input.retryDelayMs);
      const updated = await this.invoices.update(tx, merchantId, invoiceId, {
        attemptCount: Math.max(current.attemptCount, attempt),
        nextPaymentAttempt: next,
        ...(succeeded
          ? { status: 'paid' as const, amountPaid: current.total, paidAt: now, paymentMethodId: method!.id }
          : input.final && current.status === 'open'
            ? { status: 'uncollectible' as const }
            : {}),
      });
      const after: AfterCommit[] = [];
      if (succeeded) {
        await this.ledger.markPaid(tx, merchantId, invoiceId);
        after.push(
          ...(await this.events.publish(tx, 'invoice.paid', { invoice: milestone(updated) })).afterCommit,
        );
      }
      const lines = await this.invoices.linesOf(merchantId, [invoiceId], tx);
      const event = await this.webhooks.record(tx, {
        merchantId,
        type: succeeded ? 'billing.charge.succeeded' : 'billing.charge.failed',
        object: {
          ...presentCharge(charge),
          ...(succeeded
            ? {}
            : { will_retry: next !== null, next_payment_attempt: next?.toISOString() ?? null }),
          invoice: presentInvoice(updated, lines),
        },
        payerId: updated.payerId,
      });
      return {
        outcome: (succeeded ? 'succeeded' : 'declined') as ChargeOutcome,
        updated,
        events: [event],
        after,
      };
    });
    chargeAttempts.inc({ outcome });
    await this.webhooks.dispatch(events);
    await this.afterCommit(after);
    return { outcome, invoice: snapshot(updated) };
  }

  /** Voids the invoice (unless paid): its events are released to be billed again. */
  async void(merchantId: string, invoiceId: string): Promise<InvoiceSnapshot> {
    const { invoice, after } = await this.db.transaction(async (tx) => {
      const current = await this.invoices.lock(tx, merchantId, invoiceId);
      if (!current) throw NotFoundError.resource('invoice', invoiceId);
      if (!isVoidable(current.status)) return { invoice: current, after: [] };
      await this.ledger.releaseOnVoid(tx, merchantId, invoiceId);
      await this.balance.invoiceVoided(tx, current);
      const voided = await this.invoices.update(tx, merchantId, invoiceId, {
        status: 'void',
        voidedAt: new Date(),
        nextPaymentAttempt: null,
      });
      return {
        invoice: voided,
        after: (await this.events.publish(tx, 'invoice.voided', { invoice: milestone(voided) })).afterCommit,
      };
    });
    await this.afterCommit(after);
    return snapshot(invoice);
  }

  /** The invoice's workflow stopped on a step that cannot succeed: the invoice says so. */
  async recordWorkflowFailure(merchantId: string, invoiceId: string, failure: DomainFailure): Promise<void> {
    await this.invoices.recordWorkflowFailure(merchantId, invoiceId, {
      code: failure.code,
      message: failure.message,
    });
  }

  private async afterCommit(tasks: AfterCommit[]): Promise<void> {
    await runAfterCommit(tasks);
  }

  /**
   * Folds the payer's pending events (its credits draw for them in the same transaction), takes
   * the usage, prices each metric's billing period (see pricedUsage), then lets listeners add
   * their lines (credits applied).
   */
  private async addUsageLines(tx: EntityManager, draft: InvoiceEntity): Promise<AfterCommit[]> {
    await this.ledger.lockPayerBilling(tx, draft.merchantId, draft.payerId);
    const folded = await this.ledger.fold(tx, draft.merchantId, draft.payerId, draft.periodEnd!, {
      type: 'invoice',
      id: draft.id,
    });
    const claimed = await this.ledger.claimForInvoice(tx, {
      merchantId: draft.merchantId,
      invoiceId: draft.id,
      payerId: draft.payerId,
      metricIds: await this.metrics.idsInCurrency(draft.merchantId, draft.currency, tx),
      start: draft.periodStart!,
      end: draft.periodEnd!,
    });
    const invoice = { ...milestone(draft), window: { start: draft.periodStart!, end: draft.periodEnd! } };
    const plan = await this.pricing.periodPlan(tx, invoice, claimed.earlierWindows);
    const groups = groupByPeriod(claimed, plan);
    const priced = (
      await this.pricing.price(
        tx,
        invoice,
        groups.map((group) => ({
          ...group,
          state: billedState(group.events),
          corrects: correctedInvoices(group.events, draft.id),
        })),
      )
    ).map(({ line, metric, group }) => ({ line, metric, events: group.events }));
    const billed = await this.events.publish(tx, 'invoice.usage_billed', {
      invoice: milestone(draft),
      usage: {
        lines: priced.map(({ line, metric, events }) => ({
          metric,
          periodStart: line.periodStart,
          periodEnd: line.periodEnd,
          events,
          amount: line.amount,
        })),
        total: invoiceTotal(
          priced.map(({ line }) => line.amount),
          draft.currency,
        ),
      },
    });
    const extra = billed.answers.flat();
    const lines = [...priced.map(({ line }) => line), ...extra.map(extraLine)];
    await this.invoices.insertLines(
      tx,
      lines.map((line) => ({
        merchantId: draft.merchantId,
        id: newId('invoiceLine'),
        invoiceId: draft.id,
        kind: line.kind,
        metricId: line.metricId,
        description: line.description,
        quantity: line.quantity,
        unitAmount: line.unitAmount,
        amount: line.amount,
        tiers: line.tiers,
        periodStart: line.periodStart,
        periodEnd: line.periodEnd,
        idempotencyKey: null,
        requestHash: null,
      })),
    );
    return folded.afterCommit;
  }
}
