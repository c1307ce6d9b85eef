import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, LessThan, type FindOptionsWhere } from 'typeorm';
import { ConflictError } from '../common/errors/tally-error.js';
import type { PageRequest } from '../common/pagination/pagination.js';
import { isUniqueViolation } from '../database/postgres-errors.js';
import { BillingMetricEntity, type MetricStatus } from './billing-metric.entity.js';

@Injectable()
export class MetricsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(
    metric: Omit<BillingMetricEntity, 'createdAt' | 'status' | 'archivedAt'>,
  ): Promise<BillingMetricEntity> {
    try {
      await this.db
        .getRepository(BillingMetricEntity)
        .insert({ ...metric, status: 'active', archivedAt: null });
    } catch (error) {
      if (isUniqueViolation(error, 'billing_metrics_active_event_name_key')) {
        throw new ConflictError(
          'event_name_taken',
          `An active billing metric already has event_name '${metric.eventName}'; archive it first or pick another name.`,
          'event_name',
        );
      }
      throw error;
    }
    return this.db
      .getRepository(BillingMetricEntity)
      .findOneByOrFail({ merchantId: metric.merchantId, id: metric.id });
  }

  /** `tx`: read on the caller's transaction (its connection), never a second one from the pool. */
  findById(
    merchantId: string,
    id: string,
    tx: EntityManager = this.db.manager,
  ): Promise<BillingMetricEntity | null> {
    return tx.getRepository(BillingMetricEntity).findOneBy({ merchantId, id });
  }

  findActiveByEventName(merchantId: string, eventName: string): Promise<BillingMetricEntity | null> {
    return this.db.getRepository(BillingMetricEntity).findOneBy({ merchantId, eventName, status: 'active' });
  }

  list(merchantId: string, page: PageRequest, status?: MetricStatus): Promise<BillingMetricEntity[]> {
    const where: FindOptionsWhere<BillingMetricEntity> = { merchantId };
    if (page.startingAfter) where.id = LessThan(page.startingAfter);
    if (status) where.status = status;
    return this.db
      .getRepository(BillingMetricEntity)
      .find({ where, order: { id: 'DESC' }, take: page.limit + 1 });
  }

  /** All of a merchant's metrics, for reports (merchants define tens of metrics, not thousands). */
  listAll(merchantId: string, tx: EntityManager = this.db.manager): Promise<BillingMetricEntity[]> {
    return tx
      .getRepository(BillingMetricEntity)
      .find({ where: { merchantId }, order: { id: 'ASC' }, take: 10_000 });
  }

  /** Archives an active metric; archiving an archived one changes nothing. */
  async archive(merchantId: string, id: string): Promise<BillingMetricEntity | null> {
    await this.db
      .getRepository(BillingMetricEntity)
      .update({ merchantId, id, status: 'active' }, { status: 'archived', archivedAt: () => 'now()' });
    return this.findById(merchantId, id);
  }
}
