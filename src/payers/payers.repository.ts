import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, type EntityManager, type FindOptionsWhere, LessThan } from 'typeorm';
import { ConflictError } from '../common/errors/tally-error.js';
import { type PageRequest } from '../common/pagination/pagination.js';
import { isUniqueViolation } from '../database/postgres-errors.js';
import { type BillingMode, PayerEntity, type PayerKind } from './payer.entity.js';
import { PaymentMethodEntity } from './payment-method.entity.js';

const EXTERNAL_ID_KEY = 'payers_external_id_key';

function externalIdTaken(kind: PayerKind, externalId: string | null | undefined): ConflictError {
  return new ConflictError(
    'external_id_taken',
    `Another ${kind} of yours already has external_id '${externalId ?? ''}'.`,
    'external_id',
  );
}

/** `text` as a LIKE pattern that matches only itself (`\` is the escape character). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

@Injectable()
export class PayersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insertPayer(payer: Omit<PayerEntity, 'createdAt'>): Promise<PayerEntity> {
    try {
      await this.db.getRepository(PayerEntity).insert(payer);
    } catch (error) {
      if (isUniqueViolation(error, EXTERNAL_ID_KEY)) throw externalIdTaken(payer.kind, payer.externalId);
      throw error;
    }
    return this.db.getRepository(PayerEntity).findOneByOrFail({ merchantId: payer.merchantId, id: payer.id });
  }

  /**
   * Sets the payer's billing mode unless it has the other one, in the caller's transaction; the
   * row lock this takes orders concurrent claims. Answers whether the payer now has `mode`.
   */
  async claimBillingMode(
    tx: EntityManager,
    merchantId: string,
    payerId: string,
    mode: BillingMode,
  ): Promise<boolean> {
    const [, claimed]: [unknown[], number] = await tx.query(
      `UPDATE payers SET billing_mode = $3
        WHERE merchant_id = $1 AND id = $2 AND (billing_mode IS NULL OR billing_mode = $3)`,
      [merchantId, payerId, mode],
    );
    return claimed > 0;
  }

  /** Locks the payer's row for the rest of the caller's transaction. */
  async lock(tx: EntityManager, merchantId: string, payerId: string): Promise<void> {
    await tx.query('SELECT 1 FROM payers WHERE merchant_id = $1 AND id = $2 FOR UPDATE', [
      merchantId,
      payerId,
    ]);
  }

  async clearBillingMode(
    tx: EntityManager,
    merchantId: string,
    payerId: string,
    mode: BillingMode,
  ): Promise<void> {
    await tx.query(
      'UPDATE payers SET billing_mode = NULL WHERE merchant_id = $1 AND id = $2 AND billing_mode = $3',
      [merchantId, payerId, mode],
    );
  }

  findPayer(merchantId: string, kind: PayerKind, id: string): Promise<PayerEntity | null> {
    return this.db.getRepository(PayerEntity).findOneBy({ merchantId, kind, id });
  }

  listPayers(
    merchantId: string,
    kind: PayerKind,
    page: PageRequest,
    filters: { externalId?: string; search?: string },
  ): Promise<PayerEntity[]> {
    const query = this.db
      .getRepository(PayerEntity)
      .createQueryBuilder('payer')
      .where('payer.merchant_id = :merchantId AND payer.kind = :kind', { merchantId, kind });
    if (page.startingAfter)
      query.andWhere('payer.id < :startingAfter', { startingAfter: page.startingAfter });
    if (filters.externalId !== undefined)
      query.andWhere('payer.external_id = :externalId', { externalId: filters.externalId });
    if (filters.search !== undefined) {
      query.andWhere(
        new Brackets((match) =>
          match
            .where("payer.name ILIKE :contains ESCAPE '\\'")
            .orWhere("payer.email ILIKE :contains ESCAPE '\\'")
            .orWhere("payer.external_id ILIKE :contains ESCAPE '\\'")
            .orWhere('payer.id = :search'),
        ),
        { contains: `%${escapeLike(filters.search)}%`, search: filters.search },
      );
    }
    return query
      .orderBy('payer.id', 'DESC')
      .take(page.limit + 1)
      .getMany();
  }

  async updatePayer(
    merchantId: string,
    kind: PayerKind,
    id: string,
    changes: Partial<
      Pick<PayerEntity, 'name' | 'email' | 'externalId' | 'metadata' | 'defaultPaymentMethodId'>
    >,
  ): Promise<PayerEntity | null> {
    if (Object.keys(changes).length > 0) {
      try {
        await this.db.getRepository(PayerEntity).update({ merchantId, kind, id }, changes);
      } catch (error) {
        if (isUniqueViolation(error, EXTERNAL_ID_KEY)) throw externalIdTaken(kind, changes.externalId);
        throw error;
      }
    }
    return this.findPayer(merchantId, kind, id);
  }

  /** Attaches a payment method; the payer's first one becomes its default, in the same transaction. */
  async attachPaymentMethod(method: Omit<PaymentMethodEntity, 'createdAt'>): Promise<PaymentMethodEntity> {
    return this.db.transaction(async (tx) => {
      await tx.insert(PaymentMethodEntity, method);
      await tx.query(
        `UPDATE payers SET default_payment_method_id = $3
          WHERE merchant_id = $1 AND id = $2 AND default_payment_method_id IS NULL`,
        [method.merchantId, method.payerId, method.id],
      );
      return tx.findOneByOrFail(PaymentMethodEntity, { merchantId: method.merchantId, id: method.id });
    });
  }

  findPaymentMethod(merchantId: string, payerId: string, id: string): Promise<PaymentMethodEntity | null> {
    return this.db.getRepository(PaymentMethodEntity).findOneBy({ merchantId, payerId, id });
  }

  listPaymentMethods(merchantId: string, payerId: string, page: PageRequest): Promise<PaymentMethodEntity[]> {
    const where: FindOptionsWhere<PaymentMethodEntity> = { merchantId, payerId };
    if (page.startingAfter) where.id = LessThan(page.startingAfter);
    return this.db
      .getRepository(PaymentMethodEntity)
      .find({ where, order: { id: 'DESC' }, take: page.limit + 1 });
  }
}
