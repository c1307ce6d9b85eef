import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFoundError, ValidationError } from '../common/errors/tally-error.js';
import { minorUnitDigits } from '../common/money/currency.js';
import { decimalText, ExactDecimal } from '../common/money/decimal.js';
import { TallyConfigService } from '../config/config.module.js';
import { moneyText } from '../invoicing/domain/invoice-totals.js';
import type { InvoiceEntity } from '../invoicing/invoice.entity.js';
import { PayersService } from '../payers/payers.service.js';
import { type RecordedWebhookEvent, WebhookEmitter } from '../webhooks/webhook-emitter.js';
import type { CreditAccountEntity } from './credit-account.entity.js';
import type { CreditGrantEntity } from './credit-grant.entity.js';
import { requireWholeMinorUnits } from '../common/money/minor-units.js';
import { CreditGrantsService, positiveMoney, queryPayer } from './credit-grants.service.js';
import { CreditWorkflows } from './credit-workflows.js';
import { CreditsRepository } from './credits.repository.js';
import {
  payerField,
  presentGrant,
  presentSettings,
  presentThreshold,
  thresholdOf,
} from './credits.presenter.js';
import { decide, grantedAmount } from './domain/monitor.js';
import { isCrossed, projectedDepletion, type Threshold, thresholdAmount } from './domain/thresholds.js';
import {
  type CreditPayerQueryDto,
  THRESHOLD_PERCENT_PATTERN,
  type UpdateCreditSettingsDto,
} from './dto/credit.dto.js';
import type { CreditSettings, CreditThresholdProgress } from './dto/credit-settings-resource.dto.js';
import type { ListResponse } from '../common/pagination/pagination.js';
import type { ReviewRequest } from '../../workflows/contracts/credit-monitor.contract.js';

const THRESHOLD_PERCENT = new RegExp(THRESHOLD_PERCENT_PATTERN);

/** The threshold as money: the balance at or below which it counts as crossed, in whole minor units. */
function thresholdMoney(threshold: Threshold, granted: string, currency: string): string {
  return new ExactDecimal(thresholdAmount(threshold, granted)).toFixed(
    minorUnitDigits(currency),
    ExactDecimal.ROUND_DOWN,
  );
}

/**
 * The credit monitor's review, and the settings and progress it works from. A review locks the
 * payer's accounts and, at the workflow's time: warns of grants expiring soon, expires grants
 * whose time came (the remainder leaves with a ledger entry), then sends the threshold and
 * depletion notices and buys the auto top-up, each once per crossing (flags on the account).
 */
@Injectable()
export class CreditMonitorService {
  private readonly logger = new Logger(CreditMonitorService.name);

  constructor(
    private readonly credits: CreditsRepository,
    private readonly grants: CreditGrantsService,
    private readonly payers: PayersService,
    private readonly webhooks: WebhookEmitter,
    private readonly workflows: CreditWorkflows,
    private readonly config: TallyConfigService,
  ) {}

  async review(request: ReviewRequest): Promise<{ nextDueMs: number | null }> {
    const asOf = new Date(request.asOfMs);
    const { events, purchases, nextDueMs } = await this.credits.transaction(async (tx) => {
      const events: RecordedWebhookEvent[] = [];
      const purchases: Array<{ grant: CreditGrantEntity; invoice: InvoiceEntity }> = [];
      let nextDueMs: number | null = null;
      for (const account of await this.credits.lockAccounts(tx, request.merchantId, request.payerId)) {
        const active = await this.credits.grantsOf(
          tx,
          account.merchantId,
          account.payerId,
          account.currency,
          ['active'],
        );
        for (const grant of active.filter((g) => g.expiresAt !== null)) {
          const warnAt = grant.expiresAt!.getTime() - request.expirationWarningMs;
          if (grant.expiresAt! <= asOf) {
            events.push(await this.expire(tx, account, grant, asOf));
            continue;
          }
          if (grant.expirationWarnedAt === null && warnAt <= asOf.getTime()) {
            const warned = await this.credits.updateGrant(tx, grant, { expirationWarnedAt: asOf });
            events.push(await this.expirationEvent(tx, warned, 'upcoming', warned.remaining));
          }
          const due =
            grant.expirationWarnedAt === null && warnAt > asOf.getTime()
              ? warnAt
              : grant.expiresAt!.getTime();
          nextDueMs = Math.min(nextDueMs ?? Infinity, due);
        }
        const outcome = await this.notices(tx, account, asOf);
        events.push(...outcome.events);
        if (outcome.purchase) purchases.push(outcome.purchase);
      }
      return { events, purchases, nextDueMs };
    });
    await this.webhooks.dispatch(events);
    for (const purchase of purchases) await this.grants.afterGrant(purchase);
    return { nextDueMs };
  }

  /** The remainder of an expired grant leaves the balance; `billing.credits_expiration` (expired). */
  private async expire(
    tx: EntityManager,
    account: CreditAccountEntity,
    grant: CreditGrantEntity,
    asOf: Date,
  ): Promise<RecordedWebhookEvent> {
    const remaining = grant.remaining;
    if (new ExactDecimal(remaining).greaterThan(0)) {
      await this.credits.appendLedger(tx, account, {
        grantId: grant.id,
        kind: 'expiry',
        amount: decimalText(new ExactDecimal(remaining).negated()),
        windowStart: null,
        sourceType: null,
        sourceId: null,
      });
    }
    const expired = await this.credits.updateGrant(tx, grant, {
      status: 'expired',
      remaining: '0',
      expiredAt: asOf,
    });
    return this.expirationEvent(tx, expired, 'expired', remaining);
  }

  private expirationEvent(
    tx: EntityManager,
    grant: CreditGrantEntity,
    stage: 'upcoming' | 'expired',
    amount: string,
  ): Promise<RecordedWebhookEvent> {
    return this.webhooks.record(tx, {
      merchantId: grant.merchantId,
      type: 'billing.credits_expiration',
      object: {
        object: 'credit_expiration',
        stage,
        expires_at: grant.expiresAt!.toISOString(),
        amount: moneyText(amount, grant.currency),
        grant: presentGrant(grant),
      },
      payerId: grant.payerId,
    });
  }

  /** Threshold, depletion and auto top-up for one account, once per crossing. */
  private async notices(
    tx: EntityManager,
    account: CreditAccountEntity,
    asOf: Date,
  ): Promise<{
    events: RecordedWebhookEvent[];
    purchase: { grant: CreditGrantEntity; invoice: InvoiceEntity } | null;
  }> {
    const progress = await this.progressOf(tx, account);
    const decision = decide({
      granted: progress.granted,
      remaining: account.balance,
      threshold: thresholdOf(account),
      autoTopUp:
        account.autoTopUpAmount === null || account.autoTopUpThreshold === null
          ? null
          : { threshold: account.autoTopUpThreshold, amount: account.autoTopUpAmount },
      flags: {
        thresholdNotified: account.thresholdNotified,
        depletionNotified: account.depletionNotified,
        topUpSpent: account.topUpSpent,
      },
    });
    const events: RecordedWebhookEvent[] = [];
    const balance = this.balanceObject(account, progress.granted);
    if (decision.notifyThreshold) {
      events.push(
        await this.webhooks.record(tx, {
          merchantId: account.merchantId,
          type: 'billing.threshold.approaching',
          object: balance,
          payerId: account.payerId,
        }),
      );
    }
    if (decision.notifyDepletion) {
      events.push(
        await this.webhooks.record(tx, {
          merchantId: account.merchantId,
          type: 'billing.subscriber_overage',
          object: { ...balance, reason: 'credits_depleted' },
          payerId: account.payerId,
        }),
      );
    }
    let purchase = null;
    let topUps = account.topUps;
    if (decision.topUp !== null) {
      const payer = await this.payers.findPayer(account.merchantId, account.payerKind, account.payerId);
      const method = payer ? await this.payers.paymentMethodFor(account.merchantId, payer) : null;
      if (method) {
        topUps += 1;
        purchase = await this.grants.purchaseInTx(tx, {
          account,
          amount: decision.topUp,
          paymentMethodId: method.id,
          source: 'auto_top_up',
          description: 'Automatic top-up',
          // One purchase per crossing, whatever happens to this transaction's retries.
          idempotencyKey: `auto-top-up:${account.payerId}:${account.currency}:${topUps}`,
          requestHash: null,
        });
      } else {
        this.logger.warn(`auto top-up of ${account.payerId} skipped: no default payment method`);
      }
    }
    await this.credits.updateAccount(tx, account, {
      thresholdNotified: decision.flags.thresholdNotified,
      depletionNotified: decision.flags.depletionNotified,
      topUpSpent: decision.flags.topUpSpent,
      topUps,
      ...(decision.notifyDepletion && { depletedAt: asOf }),
    });
    return { events, purchase };
  }

  private balanceObject(account: CreditAccountEntity, granted: string) {
    const threshold = thresholdOf(account);
    return {
      object: 'credit_balance',
      ...payerField(account.payerKind, account.payerId),
      currency: account.currency,
      granted: moneyText(granted, account.currency),
      remaining: moneyText(account.balance, account.currency),
      threshold: presentThreshold(threshold, account.currency),
      threshold_amount: thresholdMoney(threshold, granted, account.currency),
    };
  }

  private async progressOf(tx: EntityManager, account: CreditAccountEntity) {
    const active = await this.credits.grantsOf(tx, account.merchantId, account.payerId, account.currency, [
      'active',
    ]);
    const granted = grantedAmount(active, account.depletedAt);
    return { granted, consumed: decimalText(new ExactDecimal(granted).minus(account.balance)) };
  }

  async settings(merchantId: string, query: CreditPayerQueryDto): Promise<ListResponse<CreditSettings>> {
    const payer = await this.grants.requirePayer(merchantId, queryPayer(query), 404);
    const accounts = await this.credits.accounts(merchantId, payer.id);
    const chosen = accounts.filter((a) => query.currency === undefined || a.currency === query.currency);
    return { object: 'list' as const, data: chosen.map(presentSettings), has_more: false };
  }

  /** Sets the threshold and the auto top-up of a payer's credits in a currency (creating the account). */
  async updateSettings(merchantId: string, input: UpdateCreditSettingsDto): Promise<CreditSettings> {
    const payer = await this.grants.requirePayer(merchantId, input, 400);
    const threshold = input.threshold;
    if (threshold && (threshold.percent === undefined) === (threshold.amount === undefined)) {
      throw new ValidationError(
        'threshold_invalid',
        'threshold takes percent or amount, one of them.',
        'threshold',
      );
    }
    // The DTO took a non-negative decimal; at most 100 is the pattern the document states.
    if (threshold?.percent !== undefined && !THRESHOLD_PERCENT.test(threshold.percent)) {
      throw new ValidationError('threshold_invalid', 'threshold.percent must be from 0 to 100.', 'threshold');
    }
    if (threshold?.amount !== undefined) {
      requireWholeMinorUnits(threshold.amount, input.currency, 'threshold.amount', {
        code: 'threshold_invalid',
      });
    }
    const autoTopUp = input.auto_top_up;
    if (autoTopUp) {
      positiveMoney(autoTopUp.amount, input.currency, 'auto_top_up.amount');
      requireWholeMinorUnits(autoTopUp.threshold, input.currency, 'auto_top_up.threshold', {
        code: 'amount_invalid',
      });
      if (!(await this.payers.paymentMethodFor(merchantId, payer))) {
        throw new ValidationError(
          'payment_method_required',
          `auto_top_up charges the ${payer.kind}'s default payment method; set default_payment_method first.`,
          'auto_top_up',
        );
      }
    }
    const account = await this.credits.transaction(async (tx) => {
      await this.payers.claimBillingMode(tx, payer, 'prepaid');
      await this.credits.ensureAccount(tx, {
        merchantId,
        payerId: payer.id,
        payerKind: payer.kind,
        currency: input.currency,
      });
      const [locked] = await this.credits.lockAccounts(tx, merchantId, payer.id, input.currency);
      await this.credits.updateAccount(tx, locked!, {
        ...(threshold && {
          thresholdKind: threshold.percent !== undefined ? ('percent' as const) : ('amount' as const),
          thresholdValue: new ExactDecimal(threshold.percent ?? threshold.amount!).toFixed(),
          thresholdNotified: false,
        }),
        ...(autoTopUp !== undefined && {
          autoTopUpThreshold: autoTopUp === null ? null : new ExactDecimal(autoTopUp.threshold).toFixed(),
          autoTopUpAmount: autoTopUp === null ? null : new ExactDecimal(autoTopUp.amount).toFixed(),
          topUpSpent: false,
        }),
      });
      return (await this.credits.lockAccounts(tx, merchantId, payer.id, input.currency))[0]!;
    });
    await this.workflows.changed(merchantId, payer.id);
    return presentSettings(account);
  }

  /** Granted, consumed, remaining, the threshold, and when the balance runs out at the recent burn rate. */
  async thresholdProgress(
    merchantId: string,
    query: CreditPayerQueryDto,
    now = new Date(),
  ): Promise<CreditThresholdProgress> {
    const payer = await this.grants.requirePayer(merchantId, queryPayer(query), 404);
    const accounts = await this.credits.accounts(merchantId, payer.id);
    if (query.currency !== undefined && !accounts.some((a) => a.currency === query.currency)) {
      throw new NotFoundError(
        'resource_missing',
        `${payer.id} has no ${query.currency} credits.`,
        'currency',
      );
    }
    const chosen = accounts.filter((a) => query.currency === undefined || a.currency === query.currency);
    if (chosen.length === 0)
      throw new NotFoundError('resource_missing', `${payer.id} has no credits.`, 'customer_id');
    if (chosen.length > 1) {
      throw new ValidationError(
        'currency_required',
        `${payer.id} has credits in ${chosen.map((a) => a.currency).join(', ')}; give currency.`,
        'currency',
      );
    }
    const account = chosen[0]!;
    const { granted, consumed } = await this.progressOf(this.credits.manager, account);
    const threshold = thresholdOf(account);
    const windowMs = this.config.values.CREDIT_BURN_RATE_WINDOW;
    const draws = await this.credits.recentDraws(
      merchantId,
      payer.id,
      account.currency,
      new Date(now.getTime() - windowMs),
    );
    const grantedValue = new ExactDecimal(granted);
    const depletion = projectedDepletion(account.balance, draws, now, windowMs);
    return {
      object: 'threshold_progress' as const,
      ...payerField(account.payerKind, account.payerId),
      currency: account.currency,
      granted: moneyText(granted, account.currency),
      consumed: moneyText(consumed, account.currency),
      remaining: moneyText(account.balance, account.currency),
      percent_used: grantedValue.greaterThan(0)
        ? new ExactDecimal(consumed).div(grantedValue).times(100).toFixed(2, ExactDecimal.ROUND_HALF_UP)
        : '0.00',
      threshold: presentThreshold(threshold, account.currency),
      threshold_amount: thresholdMoney(threshold, granted, account.currency),
      crossed: isCrossed(threshold, granted, account.balance),
      burn_rate_window_seconds: windowMs / 1000,
      projected_depletion_at: depletion?.toISOString() ?? null,
    };
  }
}
