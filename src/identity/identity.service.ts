import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AuthenticationError } from '../common/errors/tally-error.js';
import { generateSecretKey, hashSecretKey, looksLikeSecretKey, secretKeyHint } from './domain/secret-key.js';
import { IdentityRepository } from './identity.repository.js';
import { MerchantEntity } from './merchant.entity.js';

export interface MerchantView {
  id: string;
  object: 'merchant';
  name: string;
  created: string;
}

export function presentMerchant(merchant: MerchantEntity): MerchantView {
  return {
    id: merchant.id,
    object: 'merchant',
    name: merchant.name,
    created: merchant.createdAt.toISOString(),
  };
}

const INVALID_KEY_MESSAGE = 'Invalid API key. Send `Authorization: Bearer sk_...` with a key Tally issued.';

@Injectable()
export class IdentityService {
  /**
   * Known keys → merchant, keyed by the secret itself so a cached request hashes nothing (the
   * process holds each request's secret anyway); a revocation takes effect within the TTL.
   */
  private readonly keyCache = new LRUCache<string, string>({ max: 10_000, ttl: 60_000 });

  constructor(private readonly repository: IdentityRepository) {}

  async createMerchant(name: string): Promise<{ merchant: MerchantView; secret_key: string }> {
    const secret = generateSecretKey();
    const merchant = await this.repository.createMerchantWithKey(
      name,
      false,
      hashSecretKey(secret),
      secretKeyHint(secret),
    );
    return { merchant: presentMerchant(merchant), secret_key: secret };
  }

  /** Resolves a bearer secret to its merchant id, or throws a 401. */
  async authenticate(secret: string | undefined): Promise<string> {
    if (!secret) {
      throw new AuthenticationError(
        'api_key_missing',
        'No API key provided. Send `Authorization: Bearer sk_...` with your secret key.',
      );
    }
    if (!looksLikeSecretKey(secret)) throw new AuthenticationError('api_key_invalid', INVALID_KEY_MESSAGE);
    const cached = this.keyCache.get(secret);
    if (cached) return cached;
    const merchantId = await this.repository.findMerchantIdByKeyHash(hashSecretKey(secret));
    if (!merchantId) throw new AuthenticationError('api_key_invalid', INVALID_KEY_MESSAGE);
    this.keyCache.set(secret, merchantId);
    return merchantId;
  }

  /**
   * Makes sure the development merchant exists and that `candidate` (the configured or the
   * previously printed key) authenticates; issues a new key when there is no usable candidate.
   */
  async ensureDevelopmentMerchant(candidate?: string): Promise<{ merchantId: string; secretKey: string }> {
    if (candidate && looksLikeSecretKey(candidate)) {
      const existing = await this.repository.findMerchantIdByKeyHash(hashSecretKey(candidate));
      if (existing) return { merchantId: existing, secretKey: candidate };
    }
    const secret = candidate ?? generateSecretKey();
    const digest = hashSecretKey(secret);
    const merchant = await this.repository.findDevelopmentMerchant();
    if (merchant) {
      await this.repository.addKey(merchant.id, digest, secretKeyHint(secret));
      return { merchantId: merchant.id, secretKey: secret };
    }
    const created = await this.repository.createMerchantWithKey(
      'Development merchant',
      true,
      digest,
      secretKeyHint(secret),
    );
    return { merchantId: created.id, secretKey: secret };
  }
}
