import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, LessThan } from 'typeorm';
import { newId } from '../common/ids/ids.js';
import type { PageRequest } from '../common/pagination/pagination.js';
import { ApiKeyEntity } from './api-key.entity.js';
import type { KeyAccess } from './domain/key-access.js';
import { MerchantEntity } from './merchant.entity.js';

/** A key to store: its digest and hint, never the secret. */
export interface NewKey {
  name: string;
  access: KeyAccess;
  secretHash: Buffer;
  secretHint: string;
}

/** What authentication needs to know about a live key. */
export interface LiveKey {
  merchantId: string;
  keyId: string;
  access: KeyAccess;
  expiresAt: Date | null;
}

/** A change to a key, or why it was not made. */
export type KeyChange<T> = { done: T } | { refused: 'missing' | 'last_secret_key' | 'inactive' };

const LIVE = 'revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())';

@Injectable()
export class IdentityRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Creates a merchant and its first key in one transaction. */
  async createMerchantWithKey(name: string, isDevelopment: boolean, key: NewKey): Promise<MerchantEntity> {
    return this.db.transaction(async (tx) => {
      const merchant = tx.create(MerchantEntity, { id: newId('merchant'), name, isDevelopment });
      await tx.insert(MerchantEntity, merchant);
      await this.insertKey(tx, merchant.id, key);
      return tx.findOneByOrFail(MerchantEntity, { id: merchant.id });
    });
  }

  /** Adds a key, unless one with the same digest exists (the development key, on a restart). */
  async addKey(merchantId: string, key: NewKey): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO api_keys (merchant_id, id, name, access, secret_hash, secret_hint)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
      [merchantId, newId('apiKey'), key.name, key.access, key.secretHash, key.secretHint],
    );
    return rows.length > 0;
  }

  async createKey(merchantId: string, key: NewKey): Promise<ApiKeyEntity> {
    return this.insertKey(this.db.manager, merchantId, key);
  }

  /** The live (not revoked, not expired) key with this digest. */
  async findLiveKey(secretHash: Buffer): Promise<LiveKey | null> {
    const rows: { merchant_id: string; id: string; access: KeyAccess; expires_at: Date | null }[] =
      await this.db.query(
        `SELECT merchant_id, id, access, expires_at FROM api_keys WHERE secret_hash = $1 AND ${LIVE}`,
        [secretHash],
      );
    const row = rows[0];
    return row
      ? { merchantId: row.merchant_id, keyId: row.id, access: row.access, expiresAt: row.expires_at }
      : null;
  }

  async findKey(merchantId: string, id: string): Promise<ApiKeyEntity | null> {
    return this.db.getRepository(ApiKeyEntity).findOneBy({ merchantId, id });
  }

  listKeys(merchantId: string, page: PageRequest): Promise<ApiKeyEntity[]> {
    return this.db.getRepository(ApiKeyEntity).find({
      where: { merchantId, ...(page.startingAfter && { id: LessThan(page.startingAfter) }) },
      order: { id: 'DESC' },
      take: page.limit + 1,
    });
  }

  /**
   * Revokes a key (revoking a revoked one changes nothing). The merchant's row is locked so two
   * revocations at once cannot both leave it without a full key.
   */
  async revokeKey(merchantId: string, id: string): Promise<KeyChange<ApiKeyEntity>> {
    return this.db.transaction(async (tx) => {
      const key = await this.lockKey(tx, merchantId, id);
      if (!key) return { refused: 'missing' };
      if (key.revokedAt) return { done: key };
      const expired = key.expiresAt !== null && key.expiresAt.getTime() <= Date.now();
      if (key.access === 'full' && !expired && (await this.otherLiveFullKeys(tx, merchantId, id)) === 0) {
        return { refused: 'last_secret_key' };
      }
      await tx.update(ApiKeyEntity, { merchantId, id }, { revokedAt: () => 'now()' });
      return { done: await tx.findOneByOrFail(ApiKeyEntity, { merchantId, id }) };
    });
  }

  /**
   * Replaces a live key with a new one of the same name and access; the old one keeps working for
   * `graceSeconds` (never longer than it already would).
   */
  async rollKey(
    merchantId: string,
    id: string,
    graceSeconds: number,
    successor: Omit<NewKey, 'name' | 'access'>,
  ): Promise<KeyChange<{ rolled: ApiKeyEntity; successor: ApiKeyEntity }>> {
    return this.db.transaction(async (tx) => {
      const key = await this.lockKey(tx, merchantId, id);
      if (!key) return { refused: 'missing' };
      const [{ live }] = (await tx.query(
        `SELECT (${LIVE}) AS live FROM api_keys WHERE merchant_id = $1 AND id = $2`,
        [merchantId, id],
      )) as [{ live: boolean }];
      if (!live) return { refused: 'inactive' };
      await tx.query(
        `UPDATE api_keys SET expires_at = LEAST(COALESCE(expires_at, 'infinity'), now() + make_interval(secs => $3))
         WHERE merchant_id = $1 AND id = $2`,
        [merchantId, id, graceSeconds],
      );
      const created = await this.insertKey(tx, merchantId, {
        ...successor,
        name: key.name,
        access: key.access,
      });
      return {
        done: { rolled: await tx.findOneByOrFail(ApiKeyEntity, { merchantId, id }), successor: created },
      };
    });
  }

  findMerchant(id: string): Promise<MerchantEntity | null> {
    return this.db.getRepository(MerchantEntity).findOneBy({ id });
  }

  async findDevelopmentMerchant(): Promise<MerchantEntity | null> {
    return this.db
      .getRepository(MerchantEntity)
      .findOne({ where: { isDevelopment: true }, order: { id: 'ASC' } });
  }

  private async insertKey(tx: EntityManager, merchantId: string, key: NewKey): Promise<ApiKeyEntity> {
    const id = newId('apiKey');
    await tx.insert(ApiKeyEntity, { merchantId, id, ...key, revokedAt: null, expiresAt: null });
    return tx.findOneByOrFail(ApiKeyEntity, { merchantId, id });
  }

  private async lockKey(tx: EntityManager, merchantId: string, id: string): Promise<ApiKeyEntity | null> {
    await tx.query('SELECT 1 FROM merchants WHERE id = $1 FOR UPDATE', [merchantId]);
    return tx.findOneBy(ApiKeyEntity, { merchantId, id });
  }

  private async otherLiveFullKeys(tx: EntityManager, merchantId: string, id: string): Promise<number> {
    const [{ count }] = (await tx.query(
      `SELECT count(*)::int AS count FROM api_keys WHERE merchant_id = $1 AND id <> $2 AND access = 'full' AND ${LIVE}`,
      [merchantId, id],
    )) as [{ count: number }];
    return count;
  }
}
