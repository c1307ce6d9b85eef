import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere, In, LessThan } from 'typeorm';
import { newId } from '../common/ids/ids.js';
import { decimalText, ExactDecimal } from '../common/money/decimal.js';
import type { PageRequest } from '../common/pagination/pagination.js';
import type { PayerKind } from '../payers/payer.entity.js';
import { CreditAccountEntity } from './credit-account.entity.js';
import { CreditApplicationEntity } from './credit-application.entity.js';
import { CreditGrantEntity, type CreditGrantStatus } from './credit-grant.entity.js';
import { CreditLedgerEntryEntity } from './credit-ledger-entry.entity.js';

export type NewLedgerEntry = Pick<
  CreditLedgerEntryEntity,
  'grantId' | 'kind' | 'amount' | 'windowStart' | 'sourceType' | 'sourceId'
>;

@Injectable()
export class CreditsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  get manager(): EntityManager {
    return this.db.manager;
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async ensureAccount(
    tx: EntityManager,
    account: { merchantId: string; payerKind: PayerKind; payerId: string; currency: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO credit_accounts (merchant_id, payer_id, currency, payer_kind) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [account.merchantId, account.payerId, account.currency, account.payerKind],
    );
  }

  /** The payer's accounts (one per currency, or just `currency`'s), locked until the transaction ends. */
  lockAccounts(
    tx: EntityManager,
    merchantId: string,
    payerId: string,
    currency?: string,
  ): Promise<CreditAccountEntity[]> {
    return tx.find(CreditAccountEntity, {
      where: { merchantId, payerId, ...(currency !== undefined && { currency }) },
      order: { currency: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  accounts(merchantId: string, payerId: string, tx: EntityManager = this.db.manager) {
    return tx.find(CreditAccountEntity, { where: { merchantId, payerId }, order: { currency: 'ASC' } });
  }

  async updateAccount(
    tx: EntityManager,
    account: Pick<CreditAccountEntity, 'merchantId' | 'payerId' | 'currency'>,
    changes: Partial<Omit<CreditAccountEntity, 'merchantId' | 'payerId' | 'currency' | 'createdAt'>>,
  ): Promise<void> {
    await tx.update(
      CreditAccountEntity,
      { merchantId: account.merchantId, payerId: account.payerId, currency: account.currency },
      changes,
    );
  }

  /** Of these payers, those with credits (in id order, the order their accounts are locked in). */
  async payersWithCredits(
    tx: EntityManager,
    payers: ReadonlyArray<{ merchantId: string; payerId: string }>,
  ): Promise<Array<{ merchantId: string; payerId: string }>> {
    const rows: Array<{ merchant_id: string; payer_id: string }> = await tx.query(
      `SELECT DISTINCT merchant_id, payer_id FROM credit_accounts
        WHERE (merchant_id, payer_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        ORDER BY merchant_id, payer_id`,
      [payers.map((p) => p.merchantId), payers.map((p) => p.payerId)],
    );
    return rows.map((row) => ({ merchantId: row.merchant_id, payerId: row.payer_id }));
  }

  insertGrant(tx: EntityManager, grant: Omit<CreditGrantEntity, 'createdAt' | 'updatedAt'>) {
    return tx.insert(CreditGrantEntity, grant);
  }

  findGrant(merchantId: string, id: string, tx: EntityManager = this.db.manager) {
    return tx.findOneBy(CreditGrantEntity, { merchantId, id });
  }

  findGrantByIdempotencyKey(merchantId: string, idempotencyKey: string) {
    return this.db.getRepository(CreditGrantEntity).findOneBy({ merchantId, idempotencyKey });
  }

  findGrantByInvoice(tx: EntityManager, merchantId: string, invoiceId: string) {
    return tx.findOneBy(CreditGrantEntity, { merchantId, invoiceId });
  }

  grantsOf(
    tx: EntityManager,
    merchantId: string,
    payerId: string,
    currency: string,
    statuses: CreditGrantStatus[],
  ): Promise<CreditGrantEntity[]> {
    return tx.find(CreditGrantEntity, {
      where: { merchantId, payerId, currency, status: In(statuses) },
      order: { id: 'ASC' },
    });
  }

  listGrants(
    merchantId: string,
    page: PageRequest,
    filters: { payerId: string; currency?: string; status?: CreditGrantStatus },
  ): Promise<CreditGrantEntity[]> {
    const where: FindOptionsWhere<CreditGrantEntity> = { merchantId, payerId: filters.payerId };
    if (page.startingAfter) where.id = LessThan(page.startingAfter);
    if (filters.currency) where.currency = filters.currency;
    if (filters.status) where.status = filters.status;
    return this.db
      .getRepository(CreditGrantEntity)
      .find({ where, order: { id: 'DESC' }, take: page.limit + 1 });
  }

  /** Writes the grant's remaining amount (a draw's hot path: nothing is read back). */
  async setGrantRemaining(
    tx: EntityManager,
    grant: Pick<CreditGrantEntity, 'merchantId' | 'id' | 'remaining'>,
  ) {
    await tx.update(
      CreditGrantEntity,
      { merchantId: grant.merchantId, id: grant.id },
      { remaining: grant.remaining },
    );
  }

  async updateGrant(
    tx: EntityManager,
    grant: Pick<CreditGrantEntity, 'merchantId' | 'id'>,
    changes: Partial<Omit<CreditGrantEntity, 'merchantId' | 'id' | 'createdAt' | 'updatedAt'>>,
  ): Promise<CreditGrantEntity> {
    await tx.update(CreditGrantEntity, { merchantId: grant.merchantId, id: grant.id }, changes);
    return tx.findOneByOrFail(CreditGrantEntity, { merchantId: grant.merchantId, id: grant.id });
  }

  /**
   * Appends a ledger entry to a locked account and moves its running balance: the ledger is the
   * account's history, the balance its sum.
   */
  async appendLedger(tx: EntityManager, account: CreditAccountEntity, entry: NewLedgerEntry): Promise<void> {
    const balanceAfter = decimalText(new ExactDecimal(account.balance).plus(entry.amount));
    const row = {
      ...entry,
      merchantId: account.merchantId,
      id: newId('creditLedgerEntry'),
      payerId: account.payerId,
      currency: account.currency,
      balanceAfter,
    };
    await tx.insert(CreditLedgerEntryEntity, row);
    await this.updateAccount(tx, account, { balance: balanceAfter });
    account.balance = balanceAfter;
  }

  listLedger(
    merchantId: string,
    page: PageRequest,
    filters: { payerId: string; currency?: string; grantId?: string },
  ): Promise<CreditLedgerEntryEntity[]> {
    const where: FindOptionsWhere<CreditLedgerEntryEntity> = { merchantId, payerId: filters.payerId };
    if (page.startingAfter) where.id = LessThan(page.startingAfter);
    if (filters.currency) where.currency = filters.currency;
    if (filters.grantId) where.grantId = filters.grantId;
    return this.db
      .getRepository(CreditLedgerEntryEntity)
      .find({ where, order: { id: 'DESC' }, take: page.limit + 1 });
  }

  /** Draws within `windowMs` before `now`, for the burn rate. */
  async recentDraws(
    merchantId: string,
    payerId: string,
    currency: string,
    since: Date,
  ): Promise<Array<{ at: Date; amount: string }>> {
    const rows: Array<{ created_at: Date; amount: string }> = await this.db.query(
      `SELECT created_at, -amount AS amount FROM credit_ledger_entries
        WHERE merchant_id = $1 AND payer_id = $2 AND currency = $3 AND kind = 'draw' AND created_at > $4`,
      [merchantId, payerId, currency, since],
    );
    return rows.map((row) => ({ at: row.created_at, amount: String(row.amount) }));
  }

  /** What each grant drew for the window, net of returns, and when it last drew (to return credits). */
  async windowDraws(
    tx: EntityManager,
    account: Pick<CreditAccountEntity, 'merchantId' | 'payerId' | 'currency'>,
    windowStart: Date,
  ): Promise<Array<{ grantId: string; drawn: string; lastDrawnAt: Date }>> {
    const rows: Array<{ grant_id: string; drawn: string; last_drawn_at: Date }> = await tx.query(
      `SELECT grant_id, (-sum(amount))::text AS drawn, max(created_at) FILTER (WHERE kind = 'draw') AS last_drawn_at
         FROM credit_ledger_entries
        WHERE merchant_id = $1 AND payer_id = $2 AND currency = $3 AND kind IN ('draw', 'return') AND window_start = $4
        GROUP BY grant_id`,
      [account.merchantId, account.payerId, account.currency, windowStart],
    );
    return rows.map((row) => ({
      grantId: row.grant_id,
      drawn: decimalText(new ExactDecimal(row.drawn)),
      lastDrawnAt: row.last_drawn_at,
    }));
  }

  /** What the window drew, and what invoices (not void) applied of it and charged beyond it. */
  async windowTotals(
    tx: EntityManager,
    account: Pick<CreditAccountEntity, 'merchantId' | 'payerId' | 'currency'>,
    windowStart: Date,
  ): Promise<{ drawn: string; applied: string; billedUncovered: string }> {
    const [row]: Array<{ drawn: string; applied: string; uncovered: string }> = await tx.query(
      `SELECT
         (SELECT coalesce(-sum(amount), 0) FROM credit_ledger_entries
           WHERE merchant_id = $1 AND payer_id = $2 AND currency = $3 AND kind IN ('draw', 'return') AND window_start = $4) AS drawn,
         (SELECT coalesce(sum(applied), 0) FROM credit_applications
           WHERE merchant_id = $1 AND payer_id = $2 AND currency = $3 AND window_start = $4 AND released_at IS NULL) AS applied,
         (SELECT coalesce(sum(uncovered), 0) FROM credit_applications
           WHERE merchant_id = $1 AND payer_id = $2 AND currency = $3 AND window_start = $4 AND released_at IS NULL) AS uncovered`,
      [account.merchantId, account.payerId, account.currency, windowStart],
    );
    return {
      drawn: decimalText(new ExactDecimal(row!.drawn)),
      applied: decimalText(new ExactDecimal(row!.applied)),
      billedUncovered: decimalText(new ExactDecimal(row!.uncovered)),
    };
  }

  async insertApplications(
    tx: EntityManager,
    rows: Array<Omit<CreditApplicationEntity, 'createdAt' | 'releasedAt'>>,
  ): Promise<void> {
    if (rows.length > 0)
      await tx.createQueryBuilder().insert().into(CreditApplicationEntity).values(rows).orIgnore().execute();
  }

  async releaseApplications(tx: EntityManager, merchantId: string, invoiceId: string): Promise<void> {
    await tx.query(
      `UPDATE credit_applications SET released_at = now() WHERE merchant_id = $1 AND invoice_id = $2 AND released_at IS NULL`,
      [merchantId, invoiceId],
    );
  }

  /** Accounts whose monitor workflow was never started, recorded over `graceMs` ago. */
  unstarted(
    graceMs: number,
    limit: number,
  ): Promise<Array<{ merchant_id: string; payer_id: string; payer_kind: PayerKind }>> {
    return this.db.query(
      `SELECT DISTINCT merchant_id, payer_id, payer_kind FROM (
         SELECT merchant_id, payer_id, payer_kind FROM credit_accounts
          WHERE workflow_started_at IS NULL AND created_at < now() - make_interval(secs => $1::double precision / 1000)
          ORDER BY created_at LIMIT $2) pending`,
      [graceMs, limit],
    );
  }

  /** The payers' monitors must be signalled again (a signal of a committed change was lost): the sweeper's. */
  async markWorkflowUnsignalled(payers: Array<{ merchantId: string; payerId: string }>): Promise<void> {
    if (payers.length === 0) return;
    await this.db.query(
      `UPDATE credit_accounts a SET workflow_started_at = NULL
         FROM unnest($1::text[], $2::text[]) AS s(merchant_id, payer_id)
        WHERE a.merchant_id = s.merchant_id AND a.payer_id = s.payer_id`,
      [payers.map((payer) => payer.merchantId), payers.map((payer) => payer.payerId)],
    );
  }

  async markWorkflowStarted(payers: Array<{ merchantId: string; payerId: string }>): Promise<void> {
    if (payers.length === 0) return;
    await this.db.query(
      `UPDATE credit_accounts a SET workflow_started_at = now()
         FROM unnest($1::text[], $2::text[]) AS s(merchant_id, payer_id)
        WHERE a.merchant_id = s.merchant_id AND a.payer_id = s.payer_id AND a.workflow_started_at IS NULL`,
      [payers.map((payer) => payer.merchantId), payers.map((payer) => payer.payerId)],
    );
  }
}
