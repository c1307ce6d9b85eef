import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere, In, LessThan } from 'typeorm';
import { newId } from '../common/ids/ids.js';
import type { PageRequest } from '../common/pagination/pagination.js';
import { insertOnce } from '../database/insert-once.js';
import { invoiceNumber, type InvoiceStatus } from './domain/invoice-status.js';
import { ChargeEntity } from './charge.entity.js';
import { InvoiceLineEntity } from './invoice-line.entity.js';
import { InvoiceEntity } from './invoice.entity.js';
import type { PayerKind } from '../payers/payer.entity.js';

const IDEMPOTENCY_KEY = 'invoices_idempotency_key';
const LINE_IDEMPOTENCY_KEY = 'invoice_lines_idempotency_key';

export type NewInvoice = Pick<
  InvoiceEntity,
  | 'merchantId'
  | 'id'
  | 'kind'
  | 'payerKind'
  | 'payerId'
  | 'collectionMethod'
  | 'paymentMethodId'
  | 'currency'
  | 'periodStart'
  | 'periodEnd'
  | 'description'
  | 'metadata'
  | 'idempotencyKey'
  | 'requestHash'
> &
  Partial<Pick<InvoiceEntity, 'subscriptionId' | 'workflowStartedAt'>>;

/** A (metric, billing period) as billedPeriods keys it. */
export const periodKey = (metricId: string, start: Date, end: Date) =>
  `${metricId}\u0000${start.getTime()}\u0000${end.getTime()}`;

@Injectable()
export class InvoicesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inserts a draft, or answers the invoice its idempotency key made (see insertOnce). */
  async insertDraft(invoice: NewInvoice): Promise<{ invoice: InvoiceEntity; created: boolean }> {
    const draft = { ...invoice, status: 'draft' as const };
    const { row, created } = await insertOnce(this.db.getRepository(InvoiceEntity), draft, IDEMPOTENCY_KEY);
    return { invoice: row, created };
  }

  /**
   * A draft with its lines, in the caller's transaction; its idempotency key (required) makes a
   * repeat insert nothing and answer the first (how workflow steps stay idempotent).
   */
  async insertDraftWithLines(
    tx: EntityManager,
    invoice: NewInvoice & { idempotencyKey: string },
    lines: Array<
      Pick<InvoiceLineEntity, 'kind' | 'metricId' | 'description' | 'quantity' | 'unitAmount' | 'amount'> &
        Partial<Pick<InvoiceLineEntity, 'tiers' | 'periodStart' | 'periodEnd'>>
    >,
  ): Promise<InvoiceEntity> {
    const inserted: Array<{ id: string }> = await tx.query(
      `INSERT INTO invoices (merchant_id, id, kind, status, payer_kind, payer_id, collection_method, payment_method_id,
         currency, period_start, period_end, description, metadata, idempotency_key, subscription_id, workflow_started_at)
       VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15)
       ON CONFLICT (merchant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        invoice.merchantId,
        invoice.id,
        invoice.kind,
        invoice.payerKind,
        invoice.payerId,
        invoice.collectionMethod,
        invoice.paymentMethodId,
        invoice.currency,
        invoice.periodStart,
        invoice.periodEnd,
        invoice.description,
        JSON.stringify(invoice.metadata),
        invoice.idempotencyKey,
        invoice.subscriptionId ?? null,
        invoice.workflowStartedAt ?? null,
      ],
    );
    if (inserted.length === 0) {
      return tx.findOneByOrFail(InvoiceEntity, {
        merchantId: invoice.merchantId,
        idempotencyKey: invoice.idempotencyKey,
      });
    }
    await this.insertLines(
      tx,
      lines.map((line) => ({
        tiers: null,
        periodStart: null,
        periodEnd: null,
        ...line,
        merchantId: invoice.merchantId,
        id: newId('invoiceLine'),
        invoiceId: invoice.id,
        idempotencyKey: null,
        requestHash: null,
      })),
    );
    return tx.findOneByOrFail(InvoiceEntity, { merchantId: invoice.merchantId, id: invoice.id });
  }

  find(merchantId: string, id: string, tx: EntityManager = this.db.manager): Promise<InvoiceEntity | null> {
    return tx.findOneBy(InvoiceEntity, { merchantId, id });
  }

  /** The invoice, locked until the transaction ends (every state change goes through this). */
  lock(tx: EntityManager, merchantId: string, id: string): Promise<InvoiceEntity | null> {
    return tx.findOne(InvoiceEntity, { where: { merchantId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /** How many invoices each status has, over every merchant (the worker's tally_invoices gauge). */
  async countByStatus(): Promise<Map<InvoiceStatus, number>> {
    const rows: { status: InvoiceStatus; n: number }[] = await this.db.query(
      'SELECT status, count(*)::int AS n FROM invoices GROUP BY status',
    );
    return new Map(rows.map((row) => [row.status, row.n]));
  }

  list(
    merchantId: string,
    page: PageRequest,
    filters: { payer?: { kind: PayerKind; id: string }; status?: InvoiceStatus },
  ): Promise<InvoiceEntity[]> {
    const where: FindOptionsWhere<InvoiceEntity> = { merchantId };
    if (page.startingAfter) where.id = LessThan(page.startingAfter);
    if (filters.payer) Object.assign(where, { payerKind: filters.payer.kind, payerId: filters.payer.id });
    if (filters.status) where.status = filters.status;
    return this.db.getRepository(InvoiceEntity).find({ where, order: { id: 'DESC' }, take: page.limit + 1 });
  }

  linesOf(
    merchantId: string,
    invoiceIds: string[],
    tx: EntityManager = this.db.manager,
  ): Promise<InvoiceLineEntity[]> {
    if (invoiceIds.length === 0) return Promise.resolve([]);
    return tx.find(InvoiceLineEntity, {
      where: { merchantId, invoiceId: In(invoiceIds) },
      order: { id: 'ASC' },
    });
  }

  chargesOf(merchantId: string, invoiceId: string): Promise<ChargeEntity[]> {
    return this.db
      .getRepository(ChargeEntity)
      .find({ where: { merchantId, invoiceId }, order: { attempt: 'ASC' } });
  }

  async findLineByIdempotencyKey(
    merchantId: string,
    idempotencyKey: string,
  ): Promise<{ line: InvoiceLineEntity; currency: string } | null> {
    const line = await this.db.getRepository(InvoiceLineEntity).findOneBy({ merchantId, idempotencyKey });
    if (!line) return null;
    const invoice = await this.find(merchantId, line.invoiceId);
    return { line, currency: invoice!.currency };
  }

  /**
   * Inserts a line added through the API, in the caller's transaction, or answers the line its
   * idempotency key made (see insertOnce): concurrent adds with one key insert one line.
   */
  insertLineOnce(
    tx: EntityManager,
    line: Omit<InvoiceLineEntity, 'createdAt'>,
  ): Promise<{ row: InvoiceLineEntity; created: boolean }> {
    return insertOnce(tx.getRepository(InvoiceLineEntity), line, LINE_IDEMPOTENCY_KEY);
  }

  async insertLines(tx: EntityManager, lines: Array<Omit<InvoiceLineEntity, 'createdAt'>>): Promise<void> {
    if (lines.length > 0) await tx.insert(InvoiceLineEntity, lines);
  }

  /**
   * What the payer's other issued, not void, billing invoices in `currency` billed of each
   * (metric, period): their ids and the sum of their usage lines' amounts. Keyed by periodKey.
   */
  async billedPeriods(
    tx: EntityManager,
    query: {
      merchantId: string;
      payerId: string;
      currency: string;
      excludeInvoiceId: string;
      periods: Array<{ metricId: string; start: Date; end: Date }>;
    },
  ): Promise<Map<string, { invoiceIds: string[]; amount: string }>> {
    if (query.periods.length === 0) return new Map();
    const rows: Array<{
      metric_id: string;
      period_start: Date;
      period_end: Date;
      invoice_ids: string[];
      amount: string;
    }> = await tx.query(
      `SELECT l.metric_id, l.period_start, l.period_end, array_agg(DISTINCT l.invoice_id) AS invoice_ids,
              sum(l.amount)::text AS amount
         FROM unnest($3::text[], $4::timestamptz[], $5::timestamptz[]) AS k(metric_id, period_start, period_end)
         JOIN invoice_lines l ON l.merchant_id = $1 AND l.metric_id = k.metric_id
                              AND l.period_start = k.period_start AND l.period_end = k.period_end
         JOIN invoices i ON i.merchant_id = l.merchant_id AND i.id = l.invoice_id
        WHERE i.payer_id = $2 AND i.kind = 'billing' AND i.status NOT IN ('draft', 'void') AND i.currency = $6
          AND i.id <> $7 AND l.kind IN ('usage', 'late_usage', 'adjustment')
        GROUP BY l.metric_id, l.period_start, l.period_end`,
      [
        query.merchantId,
        query.payerId,
        query.periods.map((period) => period.metricId),
        query.periods.map((period) => period.start),
        query.periods.map((period) => period.end),
        query.currency,
        query.excludeInvoiceId,
      ],
    );
    return new Map(
      rows.map((row) => [
        periodKey(row.metric_id, row.period_start, row.period_end),
        { invoiceIds: row.invoice_ids, amount: row.amount },
      ]),
    );
  }

  /** The numbers of issued invoices by id (a draft, which has none, is left out). */
  async numbersOf(
    tx: EntityManager,
    merchantId: string,
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; number: string }> = await tx.query(
      `SELECT id, number FROM invoices WHERE merchant_id = $1 AND id = ANY($2::text[]) AND number IS NOT NULL`,
      [merchantId, [...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, row.number]));
  }

  /** The end of the payer's latest billing invoice that is not void (its window), or null. */
  async lastBillingEnd(merchantId: string, payerId: string): Promise<Date | null> {
    const [row]: Array<{ end: Date | null }> = await this.db.query(
      `SELECT max(period_end) AS end FROM invoices
        WHERE merchant_id = $1 AND payer_id = $2 AND kind = 'billing' AND status <> 'void'`,
      [merchantId, payerId],
    );
    return row?.end ?? null;
  }

  /** The merchant's next invoice number (the counter row serializes concurrent issues). */
  async nextNumber(tx: EntityManager, merchantId: string): Promise<string> {
    const [row]: Array<{ last_number: number }> = await tx.query(
      `INSERT INTO invoice_counters (merchant_id, last_number) VALUES ($1, 1)
       ON CONFLICT (merchant_id) DO UPDATE SET last_number = invoice_counters.last_number + 1
       RETURNING last_number`,
      [merchantId],
    );
    return invoiceNumber(row!.last_number);
  }

  async update(
    tx: EntityManager,
    merchantId: string,
    id: string,
    changes: Partial<Omit<InvoiceEntity, 'merchantId' | 'id' | 'createdAt' | 'updatedAt'>>,
  ): Promise<InvoiceEntity> {
    await tx.update(InvoiceEntity, { merchantId, id }, changes);
    return tx.findOneByOrFail(InvoiceEntity, { merchantId, id });
  }

  findCharge(
    tx: EntityManager,
    merchantId: string,
    invoiceId: string,
    attempt: number,
  ): Promise<ChargeEntity | null> {
    return tx.findOneBy(ChargeEntity, { merchantId, invoiceId, attempt });
  }

  async insertCharge(tx: EntityManager, charge: Omit<ChargeEntity, 'createdAt'>): Promise<ChargeEntity> {
    await tx.insert(ChargeEntity, charge);
    return tx.findOneByOrFail(ChargeEntity, { merchantId: charge.merchantId, id: charge.id });
  }

  /** Why the workflow stopped, written without a read (the row may be missing: then nothing happens). */
  async recordWorkflowFailure(
    merchantId: string,
    id: string,
    failure: { code: string; message: string },
  ): Promise<void> {
    await this.db.query(`UPDATE invoices SET workflow_failure = $3 WHERE merchant_id = $1 AND id = $2`, [
      merchantId,
      id,
      JSON.stringify(failure),
    ]);
  }

  async markWorkflowStarted(invoices: Array<{ merchantId: string; id: string }>): Promise<void> {
    if (invoices.length === 0) return;
    await this.db.query(
      `UPDATE invoices i SET workflow_started_at = now()
         FROM unnest($1::text[], $2::text[]) AS s(merchant_id, id)
        WHERE i.merchant_id = s.merchant_id AND i.id = s.id AND i.workflow_started_at IS NULL`,
      [invoices.map((invoice) => invoice.merchantId), invoices.map((invoice) => invoice.id)],
    );
  }

  /** Invoices whose workflow should run but was never started, recorded over `graceMs` ago. */
  unstarted(
    graceMs: number,
    limit: number,
  ): Promise<Array<{ merchant_id: string; id: string; payer_id: string }>> {
    return this.db.query(
      `SELECT merchant_id, id, payer_id FROM invoices
        WHERE workflow_started_at IS NULL AND status IN ('draft', 'open') AND (kind IN ('billing', 'credits') OR status = 'open')
          AND created_at < now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY created_at LIMIT $2`,
      [graceMs, limit],
    );
  }
}
