import { Inject, Injectable } from '@nestjs/common';
import { LoadingCache } from '../common/cache/loading-cache.js';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/tally-error.js';
import type { EntityManager } from 'typeorm';
import { isIdOf, newId } from '../common/ids/ids.js';
import { toListResponse, toPageRequest } from '../common/pagination/pagination.js';
import { PAYMENT_GATEWAY, type PaymentGateway } from '../invoicing/gateway/payment-gateway.js';
import { CreatePayerDto, type ListPayersQuery, UpdatePayerDto } from './dto/payer.dto.js';
import type { PageQuery } from '../common/pagination/page-query.dto.js';
import { type BillingMode, PayerEntity, type PayerKind } from './payer.entity.js';
import type { PaymentMethodEntity } from './payment-method.entity.js';
import { presentPayer, presentPaymentMethod } from './payers.presenter.js';
import { PayersRepository } from './payers.repository.js';
import { type PayerFieldNames, requirePayerSelection } from './domain/payer-selection.js';
import { validationErrorFromProblems } from '../common/errors/problems.js';

/** Use cases for customers and accounts, which behave alike. */
@Injectable()
export class PayersService {
  /** Payers known to exist; payers are never deleted, so an entry never goes stale. */
  private readonly known = new LoadingCache<{ kind: PayerKind }>({ max: 100_000 });

  constructor(
    private readonly repository: PayersRepository,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
  ) {}

  async create(merchantId: string, kind: PayerKind, input: CreatePayerDto) {
    const payer = await this.repository.insertPayer({
      merchantId,
      id: newId(kind),
      kind,
      name: input.name ?? null,
      email: input.email ?? null,
      externalId: input.external_id ?? null,
      metadata: input.metadata ?? {},
      defaultPaymentMethodId: null,
      billingMode: null,
    });
    return presentPayer(payer);
  }

  async get(merchantId: string, kind: PayerKind, id: string) {
    return presentPayer(await this.require(merchantId, kind, id));
  }

  async list(merchantId: string, kind: PayerKind, query: ListPayersQuery) {
    const page = toPageRequest(query, kind);
    const rows = await this.repository.listPayers(merchantId, kind, page, {
      externalId: query.external_id,
      search: query.search?.trim(),
    });
    return toListResponse(rows, page, presentPayer);
  }

  async update(merchantId: string, kind: PayerKind, id: string, input: UpdatePayerDto) {
    const payer = await this.require(merchantId, kind, id);
    if (input.default_payment_method !== undefined) {
      const method = isIdOf('paymentMethod', input.default_payment_method)
        ? await this.repository.findPaymentMethod(merchantId, payer.id, input.default_payment_method)
        : null;
      if (!method) {
        throw new ValidationError(
          'unknown_payment_method',
          `default_payment_method must be a payment method attached to ${id}; '${input.default_payment_method}' is not.`,
          'default_payment_method',
        );
      }
    }
    const updated = await this.repository.updatePayer(merchantId, kind, id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.email !== undefined && { email: input.email }),
      ...(input.external_id !== undefined && { externalId: input.external_id }),
      ...(input.metadata !== undefined && { metadata: input.metadata ?? {} }),
      ...(input.default_payment_method !== undefined && {
        defaultPaymentMethodId: input.default_payment_method,
      }),
    });
    return presentPayer(updated ?? payer);
  }

  async attachPaymentMethod(merchantId: string, kind: PayerKind, payerId: string, token: string) {
    const payer = await this.require(merchantId, kind, payerId);
    const card = this.gateway.describeToken(token);
    if (!card) {
      throw new ValidationError(
        'unknown_token',
        `'${token}' is not a payment method token the gateway knows; in test mode use tok_visa, tok_chargeDeclined, ` +
          'tok_insufficientFunds, tok_failOnce or tok_failTwice.',
        'token',
      );
    }
    const method = await this.repository.attachPaymentMethod({
      merchantId,
      id: newId('paymentMethod'),
      payerId: payer.id,
      token,
      brand: card.brand,
      last4: card.last4,
    });
    return presentPaymentMethod(method, kind);
  }

  async listPaymentMethods(merchantId: string, kind: PayerKind, payerId: string, query: PageQuery) {
    const payer = await this.require(merchantId, kind, payerId);
    const page = toPageRequest(query, 'paymentMethod');
    const rows = await this.repository.listPaymentMethods(merchantId, payer.id, page);
    return toListResponse(rows, page, (row) => presentPaymentMethod(row, kind));
  }

  /** The payer (of either kind), or null when the merchant has no such payer. */
  findPayer(merchantId: string, kind: PayerKind, id: string): Promise<PayerEntity | null> {
    return isIdOf(kind, id) ? this.repository.findPayer(merchantId, kind, id) : Promise.resolve(null);
  }

  /**
   * The payment method to charge for a payer: `requested` if it is one of the payer's (null
   * when it is not), else the payer's default (null when there is none).
   */
  async paymentMethodFor(
    merchantId: string,
    payer: PayerEntity,
    requested?: string | null,
  ): Promise<PaymentMethodEntity | null> {
    const id = requested ?? payer.defaultPaymentMethodId;
    if (!id || !isIdOf('paymentMethod', id)) return null;
    return this.repository.findPaymentMethod(merchantId, payer.id, id);
  }

  /**
   * The payment method a charge setup names, validated: `requested` must be one of the payer's
   * (400 `unknown_payment_method`); otherwise `fallback`, else the payer's default; when
   * `required` (auto_charge, pay) there must be one (400 `payment_method_required`).
   */
  async requirePaymentMethod(
    merchantId: string,
    payer: PayerEntity,
    requested: string | undefined,
    options: { required: boolean; fallback?: string | null },
  ): Promise<PaymentMethodEntity | null> {
    const method = await this.paymentMethodFor(merchantId, payer, requested ?? options.fallback);
    if (requested !== undefined && !method) {
      throw new ValidationError(
        'unknown_payment_method',
        `payment_method must be a payment method attached to ${payer.id}; '${requested}' is not.`,
        'payment_method',
      );
    }
    if (options.required && !method) {
      throw new ValidationError(
        'payment_method_required',
        `auto_charge needs a payment method: give payment_method or set the ${payer.kind}'s default_payment_method.`,
        'payment_method',
      );
    }
    return method;
  }

  /**
   * The payer a request names: exactly one of customer / account, and it exists. A missing one
   * is a 400 `resource_missing` on a create, a 404 when the payer is what a read is about.
   */
  async requirePayer(
    merchantId: string,
    input: { customer?: unknown; account?: unknown },
    options: { missing: 'invalid' | 'not_found'; fields?: PayerFieldNames },
  ): Promise<PayerEntity> {
    const selection = requirePayerSelection(input, options.fields);
    if (!selection.ok) throw validationErrorFromProblems([selection.problem]);
    const { kind, id } = selection.payer;
    const payer = await this.findPayer(merchantId, kind, id);
    if (payer) return payer;
    if (options.missing === 'not_found') throw NotFoundError.resource(kind, id);
    throw new ValidationError(
      'resource_missing',
      `No such ${kind}: '${id}'.`,
      options.fields?.[kind] ?? kind,
    );
  }

  /**
   * Prepaid credits and a subscription would both pay for the same usage, so a payer has one
   * billing mode or none. Claimed in the caller's transaction (the one that creates the credit
   * account or the subscription), on the payer's row, so two concurrent creates of the two modes
   * cannot both succeed: the second waits for the first and gets a 409 `billing_mode_conflict`.
   */
  async claimBillingMode(tx: EntityManager, payer: PayerEntity, mode: BillingMode): Promise<void> {
    if (await this.repository.claimBillingMode(tx, payer.merchantId, payer.id, mode)) return;
    throw new ConflictError(
      'billing_mode_conflict',
      mode === 'subscription'
        ? `${payer.id} has prepaid credits, which pay for its usage as it is aggregated; a subscription would bill the same usage again.`
        : `${payer.id} has an active subscription, which bills its usage; prepaid credits would pay for the same usage again.`,
      payer.kind,
    );
  }

  /**
   * Gives up the mode when `stillInUse` (asked with the payer's row locked, so no claim can slip
   * in between) says nothing needs it any more: a customer's last active subscription ended.
   */
  async releaseBillingMode(
    tx: EntityManager,
    payer: { merchantId: string; id: string },
    mode: BillingMode,
    stillInUse: () => Promise<boolean>,
  ): Promise<void> {
    await this.repository.lock(tx, payer.merchantId, payer.id);
    if (!(await stillInUse())) await this.repository.clearBillingMode(tx, payer.merchantId, payer.id, mode);
  }

  /** Whether `id` is a payer of this kind and merchant. Cached: ingestion asks on every event. */
  async exists(merchantId: string, kind: PayerKind, id: string): Promise<boolean> {
    if (!isIdOf(kind, id)) return false;
    const found = await this.known.get(`${merchantId}\u0000${id}`, async () =>
      (await this.repository.findPayer(merchantId, kind, id)) ? { kind } : null,
    );
    return found !== null;
  }

  private async require(merchantId: string, kind: PayerKind, id: string): Promise<PayerEntity> {
    const payer = isIdOf(kind, id) ? await this.repository.findPayer(merchantId, kind, id) : null;
    if (!payer) throw NotFoundError.resource(kind, id);
    return payer;
  }
}
