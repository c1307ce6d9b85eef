import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type FindOptionsWhere, IsNull, LessThan } from 'typeorm';
import { type PageRequest } from '../common/pagination/pagination.js';
import { insertOnce } from '../database/insert-once.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

const IDEMPOTENCY_KEY = 'webhook_endpoints_idempotency_key';

/** An endpoint's stored secrets, as re-encryption reads and conditionally rewrites them. */
export interface StoredSecrets {
  merchantId: string;
  id: string;
  secret: string;
  previousSecret: string | null;
}

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

  /**
   * Endpoints (deleted ones too) with a secret not starting with `currentPrefix`, i.e. sealed
   * with another key or stored before encryption, in key order after `after`.
   */
  async secretsNotStartingWith(
    currentPrefix: string,
    after: { merchantId: string; id: string } | null,
    limit: number,
  ): Promise<StoredSecrets[]> {
    const rows: Array<{ merchant_id: string; id: string; secret: string; previous_secret: string | null }> =
      await this.db.query(
        `SELECT merchant_id, id, secret, previous_secret FROM webhook_endpoints
          WHERE (NOT starts_with(secret, $1) OR NOT starts_with(previous_secret, $1))
            AND ($2::text IS NULL OR (merchant_id, id) > ($2, $3))
          ORDER BY merchant_id, id
          LIMIT $4`,
        [currentPrefix, after?.merchantId ?? null, after?.id ?? null, limit],
      );
    return rows.map((row) => ({
      merchantId: row.merchant_id,
      id: row.id,
      secret: row.secret,
      previousSecret: row.previous_secret,
    }));
  }

  /**
   * Rewrites an endpoint's secrets only if they are still `was` (a rotation or another
   * re-encryption meanwhile wins); answers whether it did. Not a change the merchant made, so
   * `updated_at` stays.
   */
  async replaceSecrets(was: StoredSecrets, secret: string, previousSecret: string | null): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.db.query(
      `UPDATE webhook_endpoints SET secret = $3, previous_secret = $4
        WHERE merchant_id = $1 AND id = $2 AND secret = $5 AND previous_secret IS NOT DISTINCT FROM $6`,
      [was.merchantId, was.id, secret, previousSecret, was.secret, was.previousSecret],
    );
    return affected > 0;
  }
}
