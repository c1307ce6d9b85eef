import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decimalText, ExactDecimal } from '../common/money/decimal.js';
import { rate } from '../metering/domain/rating.js';
import { moneyText } from '../invoicing/domain/invoice-totals.js';
import { quantityOf } from '../usage/domain/quantity.js';
import {
  type AfterCommit,
  type BilledUsage,
  type PricingPeriods,
  type ExtraLine,
  type FoldedPayer,
  type FoldSource,
  type InvoiceMilestone,
  PipelineEventBus,
} from '../pipeline/pipeline-events.js';
import { type RecordedWebhookEvent, WebhookEmitter } from '../webhooks/webhook-emitter.js';
import { MetricsService } from '../metering/metrics.service.js';
import { UsageLedger } from '../usage/usage-ledger.js';
import type { PayerKind } from '../payers/payer.entity.js';
import type { CreditAccountEntity } from './credit-account.entity.js';
import type { CreditGrantEntity } from './credit-grant.entity.js';
import { CreditWorkflows } from './credit-workflows.js';
import { CreditsRepository } from './credits.repository.js';
import { payerField } from './credits.presenter.js';
import { allocate, balanceOf } from './domain/allocation.js';
import { creditWindowEnd, creditWindowsBetween } from './domain/credit-window.js';
import { amountToDraw, amountToReturn, applyToInvoice, returnsFrom } from './domain/window-settlement.js';
import { windowShares } from './domain/window-shares.js';

interface CurrencyDraws {
  currency: string;
  draws: Array<{ grant: string; amount: string; window_start: string }>;
  /** Credits an event correction gave back (the window's usage fell below what credits paid). */
  returns: Array<{ grant: string; amount: string; window_start: string }>;
  drawn: string;
  uncovered: string;
  balance: string;
}

const month = (windowStart: Date) => windowStart.toISOString().slice(0, 7);

/**
 * Usage draws from prepaid credits as it is aggregated: in the transaction that folds a payer's
 * events, each credit window (UTC month) the events touch is priced whole and draws what it
 * still owes (see amountToDraw), so a replayed fold draws nothing. Invoices then apply what was
 * drawn for the windows they bill as a "credits applied" line, and charge only the rest.
 */
@Injectable()
export class CreditDrawsService implements OnModuleInit {
  constructor(
    private readonly credits: CreditsRepository,
    private readonly webhooks: WebhookEmitter,
    private readonly workflows: CreditWorkflows,
    private readonly events: PipelineEventBus,
    private readonly ledger: UsageLedger,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.events.onWithin('usage.folded', async (tx, { payers, source }) => ({
      afterCommit: await this.usageFolded(tx, payers, source),
    }));
    this.events.onWithin('invoice.pricing_periods', async (tx, { invoice }) => ({
      answer: await this.pricingPeriods(tx, invoice),
    }));
    this.events.onWithin('invoice.usage_billed', async (tx, { invoice, usage }) => ({
      answer: await this.usageBilled(tx, invoice, usage),
    }));
    this.events.onWithin('invoice.voided', async (tx, { invoice }) => this.invoiceVoided(tx, invoice));
  }

  async usageFolded(
    tx: EntityManager,
    payers: FoldedPayer[],
    source: FoldSource,
  ): Promise<AfterCommit | null> {
    const prepaid = await this.credits.payersWithCredits(tx, payers);
    if (prepaid.length === 0) return null;
    const spans = new Map(payers.map((p) => [`${p.merchantId}\u0000${p.payerId}`, p]));
    const events: RecordedWebhookEvent[] = [];
    const touched: Array<{ merchantId: string; payerId: string }> = [];
    for (const payer of prepaid) {
      const span = spans.get(`${payer.merchantId}\u0000${payer.payerId}`)!;
      const { payerKind, result } = await this.drawForPayer(tx, span, source);
      if (result.length === 0) continue;
      touched.push(payer);
      if (result.some((currency) => currency.draws.length > 0 || currency.returns.length > 0)) {
        events.push(
          await this.webhooks.record(tx, {
            merchantId: payer.merchantId,
            type: 'billing.credits_usage',
            object: {
              object: 'credit_usage',
              ...payerField(payerKind, payer.payerId),
              source: { type: source.type, id: source.id },
              currencies: result,
            },
            payerId: payer.payerId,
          }),
        );
      }
    }
    if (touched.length === 0) return null;
    return async () => {
      await this.webhooks.dispatch(events);
      for (const payer of touched) await this.workflows.changed(payer.merchantId, payer.payerId);
    };
  }

  /** Draws, for each of the payer's credit currencies, what the windows the span touches still owe. */
  private async drawForPayer(
    tx: EntityManager,
    span: FoldedPayer,
    source: FoldSource,
  ): Promise<{ payerKind: PayerKind; result: CurrencyDraws[] }> {
    const accounts = await this.credits.lockAccounts(tx, span.merchantId, span.payerId);
    const now = new Date();
    const results: CurrencyDraws[] = [];
    for (const account of accounts) {
      const grants = await this.credits.grantsOf(tx, span.merchantId, span.payerId, account.currency, [
        'active',
      ]);
      const draws: CurrencyDraws['draws'] = [];
      const returns: CurrencyDraws['returns'] = [];
      let drawn = new ExactDecimal(0);
      let uncovered = new ExactDecimal(0);
      // Nothing to draw from: what the windows owe is charged by the next invoice (priced then).
      const drawable = !new ExactDecimal(balanceOf(grants.map(toBalance), now)).isZero();
      for (const windowStart of creditWindowsBetween(span.from, span.to)) {
        const priced = await this.pricedWindow(tx, account, windowStart);
        const totals = await this.credits.windowTotals(tx, account, windowStart);
        const window = { priced, drawn: totals.drawn, billedUncovered: totals.billedUncovered };
        const back = amountToReturn(window);
        if (!new ExactDecimal(back).isZero()) {
          returns.push(...(await this.returnCredits(tx, account, grants, windowStart, back, span, now)));
          continue;
        }
        const due = amountToDraw(window);
        if (!drawable || new ExactDecimal(due).isZero()) continue;
        const allocation = allocate(grants.map(toBalance), due, now);
        for (const draw of allocation.draws) {
          const grant = grants.find((g) => g.id === draw.grantId)!;
          grant.remaining = decimalText(new ExactDecimal(grant.remaining).minus(draw.amount));
          await this.credits.setGrantRemaining(tx, grant);
          await this.credits.appendLedger(tx, account, {
            grantId: grant.id,
            kind: 'draw',
            amount: decimalText(new ExactDecimal(draw.amount).negated()),
            windowStart,
            sourceType: source.type,
            sourceId: source.id,
          });
          draws.push({
            grant: grant.id,
            amount: moneyText(draw.amount, account.currency),
            window_start: windowStart.toISOString(),
          });
          drawn = drawn.plus(draw.amount);
        }
        uncovered = uncovered.plus(allocation.uncovered);
      }
      if (draws.length > 0 || returns.length > 0 || uncovered.greaterThan(0)) {
        results.push({
          currency: account.currency,
          draws,
          returns,
          drawn: moneyText(decimalText(drawn), account.currency),
          uncovered: moneyText(decimalText(uncovered), account.currency),
          balance: moneyText(account.balance, account.currency),
        });
      }
    }
    return { payerKind: accounts[0]?.payerKind ?? 'customer', result: results };
  }

  /**
   * Gives back to the grants that drew for the window what a correction took off its price (see
   * returnsFrom), each as a `return` entry naming the corrected event.
   */
  private async returnCredits(
    tx: EntityManager,
    account: CreditAccountEntity,
    grants: CreditGrantEntity[],
    windowStart: Date,
    amount: string,
    span: FoldedPayer,
    now: Date,
  ): Promise<CurrencyDraws['returns']> {
    const active = new Map(
      grants.filter((grant) => grant.expiresAt === null || grant.expiresAt > now).map((g) => [g.id, g]),
    );
    const given = returnsFrom(await this.credits.windowDraws(tx, account, windowStart), amount, (id) =>
      active.has(id),
    );
    const corrected = span.corrections?.[0] ?? null;
    const returned: CurrencyDraws['returns'] = [];
    for (const part of given) {
      const grant = active.get(part.grantId)!;
      grant.remaining = decimalText(new ExactDecimal(grant.remaining).plus(part.amount));
      await this.credits.setGrantRemaining(tx, grant);
      await this.credits.appendLedger(tx, account, {
        grantId: grant.id,
        kind: 'return',
        amount: part.amount,
        windowStart,
        sourceType: 'correction',
        sourceId: corrected,
      });
      returned.push({
        grant: grant.id,
        amount: moneyText(part.amount, account.currency),
        window_start: windowStart.toISOString(),
      });
    }
    return returned;
  }

  /** The window's folded usage of the account's currency, each metric priced once over all of it. */
  private async pricedWindow(
    tx: EntityManager,
    account: CreditAccountEntity,
    windowStart: Date,
  ): Promise<string> {
    const usage = await this.ledger.windowUsage(
      tx,
      account.merchantId,
      account.payerId,
      windowStart,
      creditWindowEnd(windowStart),
    );
    const pricing = await this.metrics.pricing(
      account.merchantId,
      usage.map((metric) => metric.metricId),
      tx,
    );
    const priced = new Map(pricing.map((metric) => [metric.id, metric]));
    let total = new ExactDecimal(0);
    for (const { metricId, state } of usage) {
      const metric = priced.get(metricId);
      if (metric?.currency !== account.currency) continue;
      total = total.plus(
        rate(quantityOf(metric.aggregation, state, metric.timeUnit), metric.price, account.currency),
      );
    }
    return decimalText(total);
  }

  /**
   * A payer with a credit account in the invoice's currency is prepaid there: its invoices price
   * usage per credit window, so their amounts are the amounts credits draw.
   */
  async pricingPeriods(tx: EntityManager, invoice: InvoiceMilestone): Promise<PricingPeriods> {
    const accounts = await this.credits.accounts(invoice.merchantId, invoice.payerId, tx);
    return accounts.some((account) => account.currency === invoice.currency)
      ? 'credit_window'
      : 'invoice_window';
  }

  /**
   * In the issue transaction of a billing invoice: for each credit window of the usage it bills,
   * the credits drawn for that window and not applied yet pay for the invoice's share of it (one
   * negative line per window); the rest is charged. Every window's split is recorded, also when
   * the payer has no credits, so credits granted later never draw for usage already charged.
   */
  async usageBilled(tx: EntityManager, invoice: InvoiceMilestone, usage: BilledUsage): Promise<ExtraLine[]> {
    if (usage.lines.length === 0) return [];
    const [account] = await this.credits.lockAccounts(
      tx,
      invoice.merchantId,
      invoice.payerId,
      invoice.currency,
    );
    const { lines, applications } = await this.applyCredits(tx, invoice, usage, account ?? null, (totals) =>
      new ExactDecimal(totals.drawn).minus(totals.applied),
    );
    await this.credits.insertApplications(tx, applications);
    return lines;
  }

  /**
   * The credits a billing invoice of this usage would apply if issued now, read only: for each
   * credit window, what was drawn and not applied, plus what the window would still draw when its
   * pending usage is folded (its whole priced usage less what was drawn or charged for it, within
   * the payer's balance).
   */
  async previewApplied(
    tx: EntityManager,
    invoice: InvoiceMilestone,
    usage: BilledUsage,
  ): Promise<ExtraLine[]> {
    if (usage.lines.length === 0) return [];
    const account = (await this.credits.accounts(invoice.merchantId, invoice.payerId, tx)).find(
      (candidate) => candidate.currency === invoice.currency,
    );
    if (!account) return [];
    const grants = await this.credits.grantsOf(tx, invoice.merchantId, invoice.payerId, invoice.currency, [
      'active',
    ]);
    let balance = new ExactDecimal(balanceOf(grants.map(toBalance), new Date()));
    const { lines } = await this.applyCredits(
      tx,
      invoice,
      usage,
      account,
      async (totals, windowStart, share) => {
        const billedShares = new ExactDecimal(totals.applied).plus(totals.billedUncovered);
        if (share.isNegative()) {
          // A correction not folded yet returns, when folded, what credits paid beyond the new price.
          const back = amountToReturn({
            priced: decimalText(billedShares.plus(share)),
            drawn: totals.drawn,
            billedUncovered: totals.billedUncovered,
          });
          return new ExactDecimal(totals.drawn).minus(totals.applied).minus(back);
        }
        const priced = ExactDecimal.max(
          await this.pricedWindow(tx, account, windowStart),
          billedShares.plus(share),
        );
        const owed = amountToDraw({
          priced: decimalText(priced),
          drawn: totals.drawn,
          billedUncovered: totals.billedUncovered,
        });
        const willDraw = ExactDecimal.min(balance, owed);
        balance = balance.minus(willDraw);
        return new ExactDecimal(totals.drawn).minus(totals.applied).plus(willDraw);
      },
    );
    return lines;
  }

  /**
   * Walks the credit windows of an invoice's usage, oldest first: each window's share is paid by
   * what `available` says its credits offer (never more than is left to charge), the rest charged.
   * Answers the "credits applied" lines and each window's split.
   */
  private async applyCredits(
    tx: EntityManager,
    invoice: InvoiceMilestone,
    usage: BilledUsage,
    account: CreditAccountEntity | null,
    available: (
      totals: { drawn: string; applied: string; billedUncovered: string },
      windowStart: Date,
      share: ExactDecimal,
    ) => ExactDecimal | Promise<ExactDecimal>,
  ) {
    let chargeable = new ExactDecimal(usage.total);
    const lines: ExtraLine[] = [];
    const applications = [];
    for (const [key, share] of [...windowShares(usage.lines, invoice.currency)].sort(([a], [b]) => a - b)) {
      const windowStart = new Date(key);
      const totals = account
        ? await this.credits.windowTotals(tx, account, windowStart)
        : { drawn: '0', applied: '0', billedUncovered: '0' };
      const offered = await available(totals, windowStart, share);
      const split = applyToInvoice({
        share: decimalText(share),
        // A negative share un-applies credits a correction returned (offered below zero), uncapped.
        available: decimalText(share.isNegative() ? offered : ExactDecimal.min(offered, chargeable)),
      });
      chargeable = chargeable.minus(split.applied);
      applications.push({
        merchantId: invoice.merchantId,
        invoiceId: invoice.id,
        windowStart,
        payerId: invoice.payerId,
        currency: invoice.currency,
        share: decimalText(share),
        applied: split.applied,
        uncovered: split.uncovered,
      });
      if (!new ExactDecimal(split.applied).isZero()) {
        const returned = new ExactDecimal(split.applied).isNegative();
        lines.push({
          kind: 'credits_applied',
          description: returned
            ? `Prepaid credits returned by a correction (usage of ${month(windowStart)})`
            : `Prepaid credits applied (usage of ${month(windowStart)})`,
          amount: moneyText(decimalText(new ExactDecimal(split.applied).negated()), invoice.currency),
        });
      }
    }
    return { lines, applications };
  }

  /** A void invoice gives back the credits it applied: they pay for whichever invoice bills the usage next. */
  async invoiceVoided(tx: EntityManager, invoice: InvoiceMilestone): Promise<void> {
    if (invoice.kind === 'billing')
      await this.credits.releaseApplications(tx, invoice.merchantId, invoice.id);
  }
}

function toBalance(grant: CreditGrantEntity) {
  return {
    id: grant.id,
    remaining: grant.remaining,
    priority: grant.priority,
    expiresAt: grant.expiresAt,
    createdAt: grant.createdAt,
  };
}
