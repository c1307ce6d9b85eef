import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { decimalText, ExactDecimal } from '../common/money/decimal.js';
import { InvoiceBalanceEntryEntity, type InvoiceBalanceEntryKind } from './invoice-balance-entry.entity.js';

/** The SQL of payers' invoice balances: entries appended per invoice, summed per currency. */
@Injectable()
export class InvoiceBalancesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Until `tx` ends, no other invoice reads or moves this payer's balance in the currency. */
  async lock(tx: EntityManager, merchantId: string, payerId: string, currency: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `invoice-balance/${merchantId}/${payerId}/${currency}`,
    ]);
  }

  async balance(tx: EntityManager, merchantId: string, payerId: string, currency: string): Promise<string> {
    const [row]: Array<{ amount: string }> = await tx.query(
      `SELECT coalesce(sum(amount), 0)::text AS amount FROM invoice_balance_entries
        WHERE merchant_id = $1 AND payer_id = $2 AND currency = $3`,
      [merchantId, payerId, currency],
    );
    return decimalText(new ExactDecimal(row?.amount ?? '0'));
  }

  /** The payer's balances, one per currency it ever had one in, with their entries newest first. */
  async balances(
    merchantId: string,
    payerId: string,
  ): Promise<Array<{ currency: string; amount: string; entries: InvoiceBalanceEntryEntity[] }>> {
    const entries = await this.db.getRepository(InvoiceBalanceEntryEntity).find({
      where: { merchantId, payerId },
      order: { createdAt: 'DESC', invoiceId: 'DESC', kind: 'ASC' },
    });
    const byCurrency = new Map<string, InvoiceBalanceEntryEntity[]>();
    for (const entry of entries)
      byCurrency.set(entry.currency, [...(byCurrency.get(entry.currency) ?? []), entry]);
    return [...byCurrency]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, of]) => ({
        currency,
        amount: decimalText(of.reduce((sum, entry) => sum.plus(entry.amount), new ExactDecimal(0))),
        entries: of,
      }));
  }

  /** Appends an entry; a repeated (invoice, kind) is a no-op, so a retried step moves the balance once. */
  async append(
    tx: EntityManager,
    entry: Pick<InvoiceBalanceEntryEntity, 'merchantId' | 'invoiceId' | 'payerId' | 'currency' | 'amount'> & {
      kind: InvoiceBalanceEntryKind;
    },
  ): Promise<void> {
    await tx.createQueryBuilder().insert().into(InvoiceBalanceEntryEntity).values(entry).orIgnore().execute();
  }

  async entriesOf(
    tx: EntityManager,
    merchantId: string,
    invoiceId: string,
  ): Promise<InvoiceBalanceEntryEntity[]> {
    return tx.getRepository(InvoiceBalanceEntryEntity).find({ where: { merchantId, invoiceId } });
  }
}
