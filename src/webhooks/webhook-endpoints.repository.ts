import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type FindOptionsWhere, IsNull, LessThan } from 'typeorm';
import { type PageRequest } from '../common/pagination/pagination.js';
import { insertOnce } from '../database/insert-once.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

const IDEMPOTENCY_KEY = 'webhook_endpoints_idempotency_key';

export type NewWebhookEndpoint = Omit<
  WebhookEndpointEntity,
  'createdAt' | 'updatedAt' | 'deletedAt' | 'previousSecret' | 'previousSecretExpiresAt'
>;

@Injectable()
export class WebhookEndpointsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get endpoints() {
    return this.db.getRepository(WebhookEndpointEntity);
  }

  /** Inserts the endpoint, or answers the one its idempotency key made (see insertOnce). */
  async insert(endpoint: NewWebhookEndpoint): Promise<{ endpoint: WebhookEndpointEntity; created: boolean }> {
    const { row, created } = await insertOnce(this.endpoints, endpoint, IDEMPOTENCY_KEY);
    return { endpoint: row, created };
  }

  /** A live (not deleted) endpoint. */
  find(merchantId: string, id: string): Promise<WebhookEndpointEntity | null> {
    return this.endpoints.findOneBy({ merchantId, id, deletedAt: IsNull() });
  }

  list(merchantId: string, page: PageRequest): Promise<WebhookEndpointEntity[]> {
    const where: FindOptionsWhere<WebhookEndpointEntity> = { merchantId, deletedAt: IsNull() };
    if (page.startingAfter) where.id = LessThan(page.startingAfter);
    return this.endpoints.find({ where, order: { id: 'DESC' }, take: page.limit + 1 });
  }

  async update(
    merchantId: string,
    id: string,
    changes: Partial<
      Pick<
        WebhookEndpointEntity,
        | 'url'
        | 'description'
        | 'enabledEvents'
        | 'status'
        | 'disabledReason'
        | 'secret'
        | 'previousSecret'
        | 'previousSecretExpiresAt'
      >
    >,
  ): Promise<WebhookEndpointEntity | null> {
    if (Object.keys(changes).length > 0) {
      await this.endpoints.update({ merchantId, id, deletedAt: IsNull() }, changes);
    }
    return this.find(merchantId, id);
  }

  /** Marks the endpoint deleted; answers false when there was no live endpoint to delete. */
  async softDelete(merchantId: string, id: string): Promise<boolean> {
    const result = await this.endpoints.update(
      { merchantId, id, deletedAt: IsNull() },
      { deletedAt: new Date(), status: 'disabled', disabledReason: 'deleted' },
    );
    return (result.affected ?? 0) > 0;
  }
}
