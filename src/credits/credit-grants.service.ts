import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/tally-error.js';
import { idempotencyKeyReused, requestFingerprint } from '../common/idempotency/idempotency-key.js';
import { isIdOf, newId } from '../common/ids/ids.js';
import { ExactDecimal } from '../common/money/decimal.js';
import { type ListResponse, toListResponse, toPageRequest } from '../common/pagination/pagination.js';
import { isUniqueViolation } from '../database/postgres-errors.js';
import { moneyText } from '../invoicing/domain/invoice-totals.js';
import { requireWholeMinorUnits } from '../common/money/minor-units.js';
import type { InvoiceEntity } from '../invoicing/invoice.entity.js';
import { InvoiceWorkflows } from '../invoicing/invoice-workflows.js';
import { InvoicesRepository } from '../invoicing/invoices.repository.js';
import { InvoicesService } from '../invoicing/invoices.service.js';
import type { PayerEntity } from '../payers/payer.entity.js';
import { PayersService } from '../payers/payers.service.js';
import { type AfterCommit, type InvoiceMilestone, PipelineEventBus } from '../pipeline/pipeline-events.js';
import type { CreditAccountEntity } from './credit-account.entity.js';
import type { CreditGrantEntity, CreditGrantSource } from './credit-grant.entity.js';
import { CreditWorkflows } from './credit-workflows.js';
import { CreditsRepository } from './credits.repository.js';
import { presentGrant, presentLedgerEntry } from './credits.presenter.js';
import type {
  CreateCreditGrantDto,
  ListCreditGrantsQueryDto,
  ListCreditLedgerQueryDto,
} from './dto/credit.dto.js';
import { PAYER_QUERY_FIELDS } from '../payers/domain/payer-selection.js';
import type {
  CreditGrant,
  CreditGrantList,
  CreditGrantListBalance,
} from './dto/credit-grant-resource.dto.js';
import type { CreditLedgerEntry } from './dto/credit-ledger-entry-resource.dto.js';

const GRANT_IDEMPOTENCY_KEY = 'credit_grants_idempotency_key';

/** A paid grant to buy: its invoice is charged through the invoice workflow. */
export interface Purchase {
  account: Pick<CreditAccountEntity, 'merchantId' | 'payerId' | 'payerKind' | 'currency'>;
  amount: string;
  paymentMethodId: string;
  source: CreditGrantSource;
  expiresAt?: Date | null;
  priority?: number;
  description?: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
}

/** Credit grants: granting (free, or bought through an invoice), listing, voiding, the ledger. */
@Injectable()
export class CreditGrantsService implements OnModuleInit {
  constructor(
    private readonly credits: CreditsRepository,
    private readonly payers: PayersService,
    private readonly invoices: InvoicesRepository,
    private readonly invoicesService: InvoicesService,
    private readonly invoiceWorkflows: InvoiceWorkflows,
    private readonly workflows: CreditWorkflows,
    private readonly events: PipelineEventBus,
  ) {}

  onModuleInit(): void {
    this.events.onWithin('invoice.paid', async (tx, { invoice }) => ({
      afterCommit: await this.invoicePaid(tx, invoice),
    }));
    this.events.onWithin('invoice.voided', async (tx, { invoice }) => this.invoiceVoided(tx, invoice));
  }

  async create(
    merchantId: string,
    input: CreateCreditGrantDto,
    idempotencyKey: string | null,
  ): Promise<CreditGrant> {
    const payer = await this.requirePayer(merchantId, input, 400);
    const amount = positiveMoney(input.amount, input.currency, 'amount');
    const expiresAt = input.expires_at === undefined ? null : new Date(input.expires_at);
    if (expiresAt !== null && expiresAt <= new Date()) {
      throw new ValidationError('expires_at_invalid', 'expires_at must be in the future.', 'expires_at');
    }
    const method = input.paid
      ? await this.payers.requirePaymentMethod(merchantId, payer, input.payment_method ?? undefined, {
          required: true,
        })
      : null;
    const requestHash = idempotencyKey === null ? null : requestFingerprint(input);
    const account = { merchantId, payerId: payer.id, payerKind: payer.kind, currency: input.currency };
    const earlier = await this.earlierGrant(merchantId, idempotencyKey, requestHash);
    if (earlier) return presentGrant(earlier);
    let created: { grant: CreditGrantEntity; invoice: InvoiceEntity | null };
    try {
      created = await this.credits.transaction(async (tx) => {
        await this.payers.claimBillingMode(tx, payer, 'prepaid');
        await this.credits.ensureAccount(tx, account);
        const [locked] = await this.credits.lockAccounts(tx, merchantId, payer.id, input.currency);
        const terms = {
          amount,
          expiresAt,
          priority: input.priority ?? 0,
          description: input.description ?? null,
          idempotencyKey,
          requestHash,
        };
        return method
          ? this.purchaseInTx(tx, { ...terms, account, paymentMethodId: method.id, source: 'api' })
          : { grant: await this.grantFreeInTx(tx, locked!, terms), invoice: null };
      });
    } catch (error) {
      if (!isUniqueViolation(error, GRANT_IDEMPOTENCY_KEY)) throw error;
      return presentGrant((await this.earlierGrant(merchantId, idempotencyKey, requestHash))!);
    }
    await this.afterGrant(created);
    return presentGrant(created.grant);
  }

  /**
   * In the caller's transaction (the payer's account locked): a pending grant and the draft
   * invoice that buys it (kind `credits`, auto-charged). It becomes drawable when the invoice is paid.
   */
  async purchaseInTx(
    tx: EntityManager,
    purchase: Purchase,
  ): Promise<{ grant: CreditGrantEntity; invoice: InvoiceEntity }> {
    const { account } = purchase;
    const grantId = newId('creditGrant');
    const invoice = await this.invoices.insertDraftWithLines(
      tx,
      {
        merchantId: account.merchantId,
        id: newId('invoice'),
        kind: 'credits',
        payerKind: account.payerKind,
        payerId: account.payerId,
        collectionMethod: 'auto_charge',
        paymentMethodId: purchase.paymentMethodId,
        currency: account.currency,
        periodStart: null,
        periodEnd: null,
        description: `Prepaid credits ${grantId}`,
        metadata: {},
        idempotencyKey: `credit-grant:${grantId}`,
        requestHash: null,
      },
      [
        {
          kind: 'credit_purchase',
          metricId: null,
          description: purchase.description ?? 'Prepaid credits',
          quantity: '1',
          unitAmount: purchase.amount,
          amount: purchase.amount,
        },
      ],
    );
    const grant = await this.insertGrant(tx, {
      merchantId: account.merchantId,
      id: grantId,
      payerKind: account.payerKind,
      payerId: account.payerId,
      currency: account.currency,
      amount: purchase.amount,
      remaining: '0',
      priority: purchase.priority ?? 0,
      expiresAt: purchase.expiresAt ?? null,
      description: purchase.description ?? null,
      paid: true,
      status: 'pending',
      source: purchase.source,
      invoiceId: invoice.id,
      idempotencyKey: purchase.idempotencyKey,
      requestHash: purchase.requestHash,
      activatedAt: null,
    });
    return { grant, invoice };
  }

  /** Starts a bought grant's invoice workflow and tells the monitor; after the commit. */
  async afterGrant(created: { grant: CreditGrantEntity; invoice: InvoiceEntity | null }): Promise<void> {
    if (created.invoice) await this.invoiceWorkflows.startSoon(created.invoice);
    await this.workflows.changed(created.grant.merchantId, created.grant.payerId);
  }

  async list(merchantId: string, query: ListCreditGrantsQueryDto): Promise<CreditGrantList> {
    const payer = await this.requirePayer(merchantId, queryPayer(query), 404);
    const page = toPageRequest(query, 'creditGrant');
    const [rows, accounts] = await Promise.all([
      this.credits.listGrants(merchantId, page, {
        payerId: payer.id,
        currency: query.currency,
        status: query.status,
      }),
      this.credits.accounts(merchantId, payer.id),
    ]);
    const balances: CreditGrantListBalance[] = [];
    for (const account of accounts.filter(
      (a) => query.currency === undefined || a.currency === query.currency,
    )) {
      const pending = await this.credits.grantsOf(
        this.credits.manager,
        merchantId,
        payer.id,
        account.currency,
        ['pending'],
      );
      balances.push({
        currency: account.currency,
        available: moneyText(account.balance, account.currency),
        pending: moneyText(
          pending.reduce((sum, grant) => sum.plus(grant.amount), new ExactDecimal(0)).toFixed(),
          account.currency,
        ),
      });
    }
    return { ...toListResponse(rows, page, presentGrant), balances };
  }

  async get(merchantId: string, id: string): Promise<CreditGrant> {
    return presentGrant(await this.require(merchantId, id));
  }

  /**
   * Voids a grant: what it has left leaves the balance (a ledger entry). A grant still being
   * bought has its invoice voided instead (if it was paid meanwhile, the grant is voided as an
   * active one). Voiding a void grant answers it again; an expired one cannot be voided (409).
   */
  async void(merchantId: string, id: string): Promise<CreditGrant> {
    let grant = await this.require(merchantId, id);
    if (grant.status === 'pending' && grant.invoiceId) {
      const invoice = await this.invoices.find(merchantId, grant.invoiceId);
      if (invoice && invoice.status !== 'paid' && invoice.status !== 'void') {
        await this.invoicesService.void(merchantId, invoice.id).catch((error: unknown) => {
          if (!(error instanceof ConflictError)) throw error;
        });
      }
      grant = await this.require(merchantId, id);
    }
    if (grant.status === 'voided') return presentGrant(grant);
    if (grant.status !== 'active') {
      throw new ConflictError('credit_grant_not_voidable', `Credit grant ${id} is ${grant.status}.`);
    }
    const voided = await this.credits.transaction(async (tx) => {
      const [account] = await this.credits.lockAccounts(tx, merchantId, grant.payerId, grant.currency);
      const current = (await this.credits.findGrant(merchantId, id, tx))!;
      if (current.status !== 'active') return current;
      if (new ExactDecimal(current.remaining).greaterThan(0)) {
        await this.credits.appendLedger(tx, account!, {
          grantId: id,
          kind: 'void',
          amount: new ExactDecimal(current.remaining).negated().toFixed(),
          windowStart: null,
          sourceType: null,
          sourceId: null,
        });
      }
      return this.credits.updateGrant(tx, current, {
        status: 'voided',
        remaining: '0',
        voidedAt: new Date(),
      });
    });
    await this.workflows.changed(merchantId, voided.payerId);
    return presentGrant(voided);
  }

  async ledger(
    merchantId: string,
    query: ListCreditLedgerQueryDto,
  ): Promise<ListResponse<CreditLedgerEntry>> {
    const payer = await this.requirePayer(merchantId, queryPayer(query), 404);
    const page = toPageRequest(query, 'creditLedgerEntry');
    const rows = await this.credits.listLedger(merchantId, page, {
      payerId: payer.id,
      currency: query.currency,
      grantId: query.grant,
    });
    return toListResponse(rows, page, presentLedgerEntry);
  }

  /** A bought grant's invoice was paid: the grant becomes drawable (a `grant` ledger entry). */
  async invoicePaid(tx: EntityManager, invoice: InvoiceMilestone): Promise<AfterCommit | null> {
    if (invoice.kind !== 'credits') return null;
    const pending = await this.credits.findGrantByInvoice(tx, invoice.merchantId, invoice.id);
    if (!pending) return null;
    const [account] = await this.credits.lockAccounts(
      tx,
      invoice.merchantId,
      pending.payerId,
      pending.currency,
    );
    const grant = (await this.credits.findGrant(invoice.merchantId, pending.id, tx))!;
    if (grant.status !== 'pending') return null;
    await this.activate(tx, account!, grant);
    return () => this.workflows.changed(grant.merchantId, grant.payerId);
  }

  /** A bought grant's invoice was voided: the grant is void too (it never counted). */
  async invoiceVoided(tx: EntityManager, invoice: InvoiceMilestone): Promise<void> {
    if (invoice.kind !== 'credits') return;
    const grant = await this.credits.findGrantByInvoice(tx, invoice.merchantId, invoice.id);
    if (grant?.status === 'pending') {
      await this.credits.updateGrant(tx, grant, { status: 'voided', voidedAt: new Date() });
    }
  }

  /** The payer a request names, by the payers context's one rule (404 when a read names none that exists). */
  requirePayer(
    merchantId: string,
    input: { customer?: string; account?: string },
    missingStatus: 400 | 404,
  ): Promise<PayerEntity> {
    return missingStatus === 404
      ? this.payers.requirePayer(merchantId, input, { missing: 'not_found', fields: PAYER_QUERY_FIELDS })
      : this.payers.requirePayer(merchantId, input, { missing: 'invalid' });
  }

  private async grantFreeInTx(
    tx: EntityManager,
    account: CreditAccountEntity,
    terms: {
      amount: string;
      expiresAt: Date | null;
      priority: number;
      description: string | null;
      idempotencyKey: string | null;
      requestHash: string | null;
    },
  ): Promise<CreditGrantEntity> {
    const grant = await this.insertGrant(tx, {
      ...terms,
      merchantId: account.merchantId,
      id: newId('creditGrant'),
      payerKind: account.payerKind,
      payerId: account.payerId,
      currency: account.currency,
      remaining: '0',
      paid: false,
      status: 'pending',
      source: 'api',
      invoiceId: null,
      activatedAt: null,
    });
    return this.activate(tx, account, grant);
  }

  private async activate(
    tx: EntityManager,
    account: CreditAccountEntity,
    grant: CreditGrantEntity,
  ): Promise<CreditGrantEntity> {
    await this.credits.appendLedger(tx, account, {
      grantId: grant.id,
      kind: 'grant',
      amount: grant.amount,
      windowStart: null,
      sourceType: null,
      sourceId: null,
    });
    return this.credits.updateGrant(tx, grant, {
      status: 'active',
      remaining: grant.amount,
      activatedAt: new Date(),
    });
  }

  private async insertGrant(
    tx: EntityManager,
    grant: Omit<
      CreditGrantEntity,
      'createdAt' | 'updatedAt' | 'expirationWarnedAt' | 'expiredAt' | 'voidedAt'
    >,
  ): Promise<CreditGrantEntity> {
    await this.credits.insertGrant(tx, {
      ...grant,
      expirationWarnedAt: null,
      expiredAt: null,
      voidedAt: null,
    });
    return (await this.credits.findGrant(grant.merchantId, grant.id, tx))!;
  }

  private async earlierGrant(
    merchantId: string,
    idempotencyKey: string | null,
    requestHash: string | null,
  ): Promise<CreditGrantEntity | null> {
    if (idempotencyKey === null) return null;
    const earlier = await this.credits.findGrantByIdempotencyKey(merchantId, idempotencyKey);
    if (earlier && earlier.requestHash !== requestHash) throw idempotencyKeyReused(idempotencyKey);
    return earlier;
  }

  private async require(merchantId: string, id: string): Promise<CreditGrantEntity> {
    const grant = isIdOf('creditGrant', id) ? await this.credits.findGrant(merchantId, id) : null;
    if (!grant) throw NotFoundError.resource('credit grant', id);
    return grant;
  }
}

/** The payer of a list query (`customer_id` / `account_id`). */
export function queryPayer(query: { customer_id?: string; account_id?: string }) {
  return { customer: query.customer_id, account: query.account_id };
}

/** A positive amount in whole minor units of the currency, as canonical text; else 400 `amount_invalid`. */
export function positiveMoney(amount: string, currency: string, param: string): string {
  return requireWholeMinorUnits(amount, currency, param, { code: 'amount_invalid', positive: true });
}
