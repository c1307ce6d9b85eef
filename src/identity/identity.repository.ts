import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { newId } from '../common/ids/ids.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { MerchantEntity } from './merchant.entity.js';

@Injectable()
export class IdentityRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Creates a merchant and its first key in one transaction. */
  async createMerchantWithKey(
    name: string,
    isDevelopment: boolean,
    secretHash: Buffer,
    secretHint: string,
  ): Promise<MerchantEntity> {
    return this.db.transaction(async (tx) => {
      const merchant = tx.create(MerchantEntity, { id: newId('merchant'), name, isDevelopment });
      await tx.insert(MerchantEntity, merchant);
      await tx.insert(ApiKeyEntity, {
        merchantId: merchant.id,
        id: newId('apiKey'),
        secretHash,
        secretHint,
        revokedAt: null,
      });
      return tx.findOneByOrFail(MerchantEntity, { id: merchant.id });
    });
  }

  async addKey(merchantId: string, secretHash: Buffer, secretHint: string): Promise<void> {
    await this.db
      .createQueryBuilder()
      .insert()
      .into(ApiKeyEntity)
      .values({ merchantId, id: newId('apiKey'), secretHash, secretHint, revokedAt: null })
      .orIgnore()
      .execute();
  }

  /** The merchant a live (not revoked) key belongs to. */
  async findMerchantIdByKeyHash(secretHash: Buffer): Promise<string | null> {
    const rows: { merchant_id: string }[] = await this.db.query(
      'SELECT merchant_id FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL',
      [secretHash],
    );
    return rows[0]?.merchant_id ?? null;
  }

  async findDevelopmentMerchant(): Promise<MerchantEntity | null> {
    return this.db
      .getRepository(MerchantEntity)
      .findOne({ where: { isDevelopment: true }, order: { id: 'ASC' } });
  }
}
