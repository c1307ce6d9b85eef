import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere, LessThan } from 'typeorm';
import type { PageRequest } from '../common/pagination/pagination.js';
import { insertOnce } from '../database/insert-once.js';
import { SubscriptionPeriodEntity } from './subscription-period.entity.js';
import { SubscriptionEntity } from './subscription.entity.js';

const IDEMPOTENCY_KEY = 'subscriptions_idempotency_key';

export type NewSubscription = Omit<
  SubscriptionEntity,
  | 'createdAt'
  | 'updatedAt'
  | 'status'
  | 'pending'
  | 'canceledAt'
  | 'workflowFailure'
  | 'endedAt'
  | 'currentPeriodIndex'
  | 'currentPeriodStart'
  | 'currentPeriodEnd'
  | 'workflowStartedAt'
>;

@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inserts it, or answers the subscription its idempotency key made (see insertOnce). */
  async insert(
    tx: EntityManager,
    subscription: NewSubscription,
  ): Promise<{ subscription: SubscriptionEntity; created: boolean }> {
    const active = { ...subscription, status: 'active' as const };
    const { row, created } = await insertOnce(tx.getRepository(SubscriptionEntity), active, IDEMPOTENCY_KEY);
    return { subscription: row, created };
  }

  find(
    merchantId: string,
    id: string,
    tx: EntityManager = this.db.manager,
  ): Promise<SubscriptionEntity | null> {
    return tx.findOneBy(SubscriptionEntity, { merchantId, id });
  }

  lock(tx: EntityManager, merchantId: string, id: string): Promise<SubscriptionEntity | null> {
    return tx.findOne(SubscriptionEntity, { where: { merchantId, id }, lock: { mode: 'pessimistic_write' } });
  }

  list(
    merchantId: string,
    page: PageRequest,
    filters: { customerId?: string },
  ): Promise<SubscriptionEntity[]> {
    const where: FindOptionsWhere<SubscriptionEntity> = { merchantId };
    if (page.startingAfter) where.id = LessThan(page.startingAfter);
    if (filters.customerId) where.customerId = filters.customerId;
    return this.db
      .getRepository(SubscriptionEntity)
      .find({ where, order: { id: 'DESC' }, take: page.limit + 1 });
  }

  async update(
    tx: EntityManager,
    merchantId: string,
    id: string,
    changes: Partial<Omit<SubscriptionEntity, 'merchantId' | 'id' | 'createdAt' | 'updatedAt'>>,
  ): Promise<SubscriptionEntity> {
    await tx.update(SubscriptionEntity, { merchantId, id }, changes);
    return tx.findOneByOrFail(SubscriptionEntity, { merchantId, id });
  }

  findPeriod(
    merchantId: string,
    subscriptionId: string,
    periodIndex: number,
    tx: EntityManager = this.db.manager,
  ): Promise<SubscriptionPeriodEntity | null> {
    return tx.findOneBy(SubscriptionPeriodEntity, { merchantId, subscriptionId, periodIndex });
  }

  lockPeriod(
    tx: EntityManager,
    merchantId: string,
    subscriptionId: string,
    periodIndex: number,
  ): Promise<SubscriptionPeriodEntity | null> {
    return tx.findOne(SubscriptionPeriodEntity, {
      where: { merchantId, subscriptionId, periodIndex },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async insertPeriod(
    tx: EntityManager,
    period: Omit<SubscriptionPeriodEntity, 'overageInvoiceIds' | 'overageNotified' | 'closedAt'>,
  ): Promise<SubscriptionPeriodEntity> {
    await tx.insert(SubscriptionPeriodEntity, period as never);
    return (await this.findPeriod(period.merchantId, period.subscriptionId, period.periodIndex, tx))!;
  }

  async updatePeriod(
    tx: EntityManager,
    period: Pick<SubscriptionPeriodEntity, 'merchantId' | 'subscriptionId' | 'periodIndex'>,
    changes: Partial<
      Pick<
        SubscriptionPeriodEntity,
        'overageInvoiceIds' | 'billedUsage' | 'billedAmounts' | 'overageNotified' | 'closedAt'
      >
    >,
  ): Promise<void> {
    await tx.update(
      SubscriptionPeriodEntity,
      {
        merchantId: period.merchantId,
        subscriptionId: period.subscriptionId,
        periodIndex: period.periodIndex,
      },
      changes as never,
    );
  }

  /** The end of the subscription's latest closed period (closed periods are the first ones), or null. */
  async lastClosedEnd(tx: EntityManager, merchantId: string, subscriptionId: string): Promise<Date | null> {
    const [row]: Array<{ period_end: Date }> = await tx.query(
      `SELECT period_end FROM subscription_periods
        WHERE merchant_id = $1 AND subscription_id = $2 AND closed_at IS NOT NULL
        ORDER BY period_index DESC LIMIT 1`,
      [merchantId, subscriptionId],
    );
    return row?.period_end ?? null;
  }

  /** The closed periods holding any of `instants`, oldest first; locked for the caller's transaction unless only read. */
  closedPeriodsAt(
    tx: EntityManager,
    merchantId: string,
    subscriptionId: string,
    instants: readonly Date[],
    lock: boolean,
  ): Promise<SubscriptionPeriodEntity[]> {
    const query = tx
      .getRepository(SubscriptionPeriodEntity)
      .createQueryBuilder('p')
      .where(
        'p.merchant_id = :merchantId AND p.subscription_id = :subscriptionId AND p.closed_at IS NOT NULL',
        {
          merchantId,
          subscriptionId,
        },
      )
      .andWhere(
        'EXISTS (SELECT 1 FROM unnest(CAST(:instants AS timestamptz[])) AS t(at) WHERE t.at >= p.period_start AND t.at < p.period_end)',
        { instants: instants.map((at) => at.toISOString()) },
      )
      .orderBy('p.period_index', 'ASC');
    return (lock ? query.setLock('pessimistic_write') : query).getMany();
  }

  /** Active subscriptions of these payers, for telling their workflows that usage moved. */
  async activeFor(
    payers: Array<{ merchantId: string; payerId: string }>,
  ): Promise<Array<{ merchantId: string; id: string }>> {
    if (payers.length === 0) return [];
    const rows: Array<{ merchant_id: string; id: string }> = await this.db.query(
      `SELECT s.merchant_id, s.id FROM subscriptions s
         JOIN unnest($1::text[], $2::text[]) AS p(merchant_id, payer_id)
           ON s.merchant_id = p.merchant_id AND s.customer_id = p.payer_id
        WHERE s.status = 'active'`,
      [payers.map((p) => p.merchantId), payers.map((p) => p.payerId)],
    );
    return rows.map((row) => ({ merchantId: row.merchant_id, id: row.id }));
  }

  /** Whether the customer has a subscription other than `exceptId` that has not ended (a canceled one still bills its last period). */
  async hasOtherUnended(
    tx: EntityManager,
    merchantId: string,
    customerId: string,
    exceptId: string,
  ): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM subscriptions WHERE merchant_id = $1 AND customer_id = $2 AND ended_at IS NULL AND id <> $3 LIMIT 1`,
      [merchantId, customerId, exceptId],
    );
    return rows.length > 0;
  }

  /** Why the workflow stopped, written without a read (the row may be missing: then nothing happens). */
  async recordWorkflowFailure(
    merchantId: string,
    id: string,
    failure: { code: string; message: string },
  ): Promise<void> {
    await this.db.query(`UPDATE subscriptions SET workflow_failure = $3 WHERE merchant_id = $1 AND id = $2`, [
      merchantId,
      id,
      JSON.stringify(failure),
    ]);
  }

  async markWorkflowStarted(subscriptions: Array<{ merchantId: string; id: string }>): Promise<void> {
    if (subscriptions.length === 0) return;
    await this.db.query(
      `UPDATE subscriptions s SET workflow_started_at = now()
         FROM unnest($1::text[], $2::text[]) AS started(merchant_id, id)
        WHERE s.merchant_id = started.merchant_id AND s.id = started.id AND s.workflow_started_at IS NULL`,
      [subscriptions.map((row) => row.merchantId), subscriptions.map((row) => row.id)],
    );
  }

  unstarted(
    graceMs: number,
    limit: number,
  ): Promise<Array<{ merchant_id: string; id: string; customer_id: string }>> {
    return this.db.query(
      `SELECT merchant_id, id, customer_id FROM subscriptions
        WHERE workflow_started_at IS NULL AND created_at < now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY created_at LIMIT $2`,
      [graceMs, limit],
    );
  }
}
