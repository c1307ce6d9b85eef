import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/tally-error.js';
import { idempotencyKeyReused, requestFingerprint } from '../common/idempotency/idempotency-key.js';
import { isIdOf, newId } from '../common/ids/ids.js';
import { type ListResponse, toListResponse, toPageRequest } from '../common/pagination/pagination.js';
import { perUnit, rate } from '../metering/domain/rating.js';
import type { PayerEntity } from '../payers/payer.entity.js';
import { PayersService } from '../payers/payers.service.js';
import { payRefusal, voidRefusal } from './domain/invoice-status.js';
import {
  CreateBillingInvoiceDto,
  CreateInvoiceDto,
  CreateInvoiceLineItemDto,
  ListInvoicesQueryDto,
  PayInvoiceDto,
} from './dto/invoice.dto.js';
import { InvoiceCollectionService } from './invoice-collection.service.js';
import type { InvoiceLineEntity } from './invoice-line.entity.js';
import type { InvoiceEntity } from './invoice.entity.js';
import { InvoiceWorkflows } from './invoice-workflows.js';
import { InvoicesRepository, type NewInvoice } from './invoices.repository.js';
import { presentCharge, presentInvoice, presentLine } from './invoices.presenter.js';
import type { Invoice, InvoiceLineItem, InvoiceWithCharges } from './dto/invoice-resource.dto.js';
import { selectPayer } from '../payers/domain/payer-selection.js';
import { validationErrorFromProblems } from '../common/errors/problems.js';
import { MetricsService } from '../metering/metrics.service.js';
import { usageCurrency } from './domain/usage-currency.js';
import { UsageLedger } from '../usage/usage-ledger.js';

/** Invoices through the API: billing (usage) invoices, manual invoices, and operator actions. */
@Injectable()
export class InvoicesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly invoices: InvoicesRepository,
    private readonly payers: PayersService,
    private readonly collection: InvoiceCollectionService,
    private readonly workflows: InvoiceWorkflows,
    private readonly ledger: UsageLedger,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * The seed's pipeline for a payer's window, as the workflow `invoice/inv_…`: this answers the
   * draft at once (201); the workflow aggregates, issues and (auto_charge) charges it.
   */
  async createBillingInvoice(
    merchantId: string,
    input: CreateBillingInvoiceDto,
    idempotencyKey: string | null,
  ): Promise<InvoiceWithCharges> {
    const payer = await this.payers.requirePayer(merchantId, input, { missing: 'invalid' });
    const start = new Date(input.start_date);
    const end = new Date(input.end_date);
    if (!(start < end)) {
      throw new ValidationError('window_invalid', 'end_date must be after start_date.', 'end_date');
    }
    const paymentMethodId = await this.paymentMethodForCreate(merchantId, payer, input);
    const currency = input.currency ?? (await this.usageCurrency(merchantId, payer.id, start, end));
    return this.createDraft(
      {
        merchantId,
        id: newId('invoice'),
        kind: 'billing',
        payerKind: payer.kind,
        payerId: payer.id,
        collectionMethod: input.collection_method,
        paymentMethodId,
        currency,
        periodStart: start,
        periodEnd: end,
        description: null,
        metadata: {},
        idempotencyKey,
        requestHash: idempotencyKey === null ? null : requestFingerprint(input),
      },
      true,
    );
  }

  /** A draft invoice for one-off charges: add lines, then issue it. */
  async createManualInvoice(
    merchantId: string,
    input: CreateInvoiceDto,
    idempotencyKey: string | null,
  ): Promise<InvoiceWithCharges> {
    const payer = await this.payers.requirePayer(merchantId, input, { missing: 'invalid' });
    const paymentMethodId = await this.paymentMethodForCreate(merchantId, payer, input);
    return this.createDraft(
      {
        merchantId,
        id: newId('invoice'),
        kind: 'manual',
        payerKind: payer.kind,
        payerId: payer.id,
        collectionMethod: input.collection_method,
        paymentMethodId,
        currency: input.currency,
        periodStart: null,
        periodEnd: null,
        description: input.description ?? null,
        metadata: input.metadata ?? {},
        idempotencyKey,
        requestHash: idempotencyKey === null ? null : requestFingerprint(input),
      },
      false,
    );
  }

  /**
   * Adds a line to a draft manual invoice; the amount is quantity × unit_amount, rounded once.
   * A repeated Idempotency-Key answers the line the key made (even once the invoice has moved
   * on); two concurrent adds with one key insert one line (insertOnce), the other answers it.
   */
  async addLine(
    merchantId: string,
    input: CreateInvoiceLineItemDto,
    idempotencyKey: string | null,
  ): Promise<InvoiceLineItem> {
    const requestHash = idempotencyKey === null ? null : requestFingerprint(input);
    if (idempotencyKey !== null) {
      const earlier = await this.invoices.findLineByIdempotencyKey(merchantId, idempotencyKey);
      if (earlier) {
        if (earlier.line.requestHash !== requestHash) throw idempotencyKeyReused(idempotencyKey);
        return presentLine(earlier.line, earlier.currency);
      }
    }
    const line = await this.db.transaction(async (tx) => {
      const invoice = isIdOf('invoice', input.invoice)
        ? await this.invoices.lock(tx, merchantId, input.invoice)
        : null;
      if (!invoice)
        throw new ValidationError('resource_missing', `No such invoice: '${input.invoice}'.`, 'invoice');
      if (invoice.kind !== 'manual' || invoice.status !== 'draft') {
        throw new ConflictError(
          'invoice_not_draft',
          `Lines can be added only to a draft manual invoice; ${invoice.id} is a ${invoice.status} ${invoice.kind} invoice.`,
          'invoice',
        );
      }
      const quantity = input.quantity ?? '1';
      const row: Omit<InvoiceLineEntity, 'createdAt'> = {
        merchantId,
        id: newId('invoiceLine'),
        invoiceId: invoice.id,
        kind: 'manual',
        metricId: null,
        description: input.description,
        quantity,
        unitAmount: input.unit_amount,
        amount: rate(quantity, perUnit(input.unit_amount), invoice.currency),
        tiers: null,
        periodStart: null,
        periodEnd: null,
        idempotencyKey,
        requestHash,
      };
      // A concurrent add with this key that committed first: its line is answered (same body,
      // hence this invoice) or a 409 idempotency_key_reused (another body).
      const { row: inserted } = await this.invoices.insertLineOnce(tx, row);
      return { line: inserted, invoice };
    });
    return presentLine(line.line, line.invoice.currency);
  }

  /** Issues a draft manual invoice (number, `open`, the webhook), then its workflow collects it. */
  async issue(merchantId: string, id: string): Promise<InvoiceWithCharges> {
    const invoice = await this.require(merchantId, id);
    if (invoice.kind !== 'manual' || invoice.status !== 'draft') {
      throw new ConflictError(
        'invoice_not_draft',
        invoice.kind === 'billing'
          ? `${id} is a billing invoice: its workflow issues it.`
          : `${id} is already ${invoice.status}.`,
      );
    }
    await this.collection.issue(merchantId, id);
    await this.workflows.startSoon(invoice);
    return this.get(merchantId, id);
  }

  async get(merchantId: string, id: string): Promise<InvoiceWithCharges> {
    const invoice = await this.require(merchantId, id);
    const [lines, charges] = await Promise.all([
      this.invoices.linesOf(merchantId, [id]),
      this.invoices.chargesOf(merchantId, id),
    ]);
    return { ...presentInvoice(invoice, lines), charges: charges.map(presentCharge) };
  }

  async list(merchantId: string, query: ListInvoicesQueryDto): Promise<ListResponse<Invoice>> {
    const filter = selectPayer(query);
    if (!filter.ok) throw validationErrorFromProblems([filter.problem]);
    const page = toPageRequest(query, 'invoice');
    const rows = await this.invoices.list(merchantId, page, {
      payer: filter.payer ?? undefined,
      status: query.status,
    });
    const lines = await this.invoices.linesOf(
      merchantId,
      rows.slice(0, page.limit).map((row) => row.id),
    );
    return toListResponse(rows, page, (invoice) =>
      presentInvoice(
        invoice,
        lines.filter((line) => line.invoiceId === invoice.id),
      ),
    );
  }

  /** Attempts a charge now, through the invoice's workflow (so it never overlaps a scheduled one). */
  async pay(merchantId: string, id: string, input: PayInvoiceDto): Promise<InvoiceWithCharges> {
    const invoice = await this.require(merchantId, id);
    const refused = payRefusal(id, invoice.status);
    if (refused) throw new ConflictError(refused.code, refused.message);
    const payer = await this.payers.findPayer(merchantId, invoice.payerKind, invoice.payerId);
    const method = await this.payers.requirePaymentMethod(merchantId, payer!, input.payment_method, {
      required: true,
      fallback: invoice.paymentMethodId,
    });
    await this.workflows.pay(invoice, { paymentMethodId: method!.id });
    return this.get(merchantId, id);
  }

  /** Voids an invoice that is not paid; its events are released to be billed again. */
  async void(merchantId: string, id: string): Promise<InvoiceWithCharges> {
    const invoice = await this.require(merchantId, id);
    const refused = voidRefusal(id, invoice.status);
    if (refused) throw new ConflictError(refused.code, refused.message);
    if (invoice.kind === 'manual' && invoice.status === 'draft') await this.collection.void(merchantId, id);
    else await this.workflows.void(invoice);
    return this.get(merchantId, id);
  }

  private async createDraft(draft: NewInvoice, startWorkflow: boolean): Promise<InvoiceWithCharges> {
    const { invoice, created } = await this.invoices.insertDraft(draft);
    if (created && startWorkflow) await this.workflows.startSoon(invoice);
    return this.get(invoice.merchantId, invoice.id);
  }

  /** The payment method an invoice is created with (stored only when named); auto_charge needs one. */
  private async paymentMethodForCreate(
    merchantId: string,
    payer: PayerEntity,
    input: { collection_method: string; payment_method?: string },
  ): Promise<string | null> {
    const method = await this.payers.requirePaymentMethod(merchantId, payer, input.payment_method, {
      required: input.collection_method === 'auto_charge',
    });
    return input.payment_method !== undefined ? method!.id : null;
  }

  /** The one currency the payer's not yet invoiced usage in the window is priced in. */
  /** Where the payer's next billing invoice starts by default: the end of its latest one, or null. */
  lastBillingEnd(merchantId: string, payerId: string): Promise<Date | null> {
    return this.invoices.lastBillingEnd(merchantId, payerId);
  }

  private async usageCurrency(merchantId: string, payerId: string, start: Date, end: Date): Promise<string> {
    const pending = await this.ledger.pendingMetricIds(merchantId, payerId, start, end);
    const priced = await this.metrics.pricing(merchantId, pending);
    return usageCurrency(
      priced.map((metric) => metric.currency),
      'invoice',
    );
  }

  private async require(merchantId: string, id: string): Promise<InvoiceEntity> {
    const invoice = isIdOf('invoice', id) ? await this.invoices.find(merchantId, id) : null;
    if (!invoice) throw NotFoundError.resource('invoice', id);
    return invoice;
  }
}
