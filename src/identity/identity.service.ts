import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AuthenticationError, NotFoundError } from '../common/errors/tally-error.js';
import type { KeyAccess } from './domain/key-access.js';
import { generateSecretKey, hashSecretKey, looksLikeSecretKey, secretKeyHint } from './domain/secret-key.js';
import { IdentityRepository, type LiveKey, type NewKey } from './identity.repository.js';
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

/** A new key's stored form; the secret itself is only ever returned to the caller. */
export function newKey(secret: string, name: string, access: KeyAccess): NewKey {
  return { name, access, secretHash: hashSecretKey(secret), secretHint: secretKeyHint(secret) };
}

/** Who is calling: the merchant and the key it used. */
export interface Caller {
  merchantId: string;
  keyId: string;
  access: KeyAccess;
}

const INVALID_KEY_MESSAGE = 'Invalid API key. Send `Authorization: Bearer sk_...` with a key Tally issued.';

/** How long a process trusts a key it has looked up: a revocation made elsewhere takes effect within it. */
export const KEY_CACHE_TTL_MS = 10_000;

@Injectable()
export class IdentityService {
  /**
   * Known keys, keyed by the secret itself so a cached request hashes nothing (the process holds
   * each request's secret anyway). Revoking or rolling here forgets the key at once.
   */
  private readonly keyCache = new LRUCache<string, LiveKey>({ max: 10_000, ttl: KEY_CACHE_TTL_MS });

  constructor(private readonly repository: IdentityRepository) {}

  async createMerchant(name: string): Promise<{ merchant: MerchantView; secret_key: string }> {
    const secret = generateSecretKey();
    const merchant = await this.repository.createMerchantWithKey(
      name,
      false,
      newKey(secret, 'Secret key', 'full'),
    );
    return { merchant: presentMerchant(merchant), secret_key: secret };
  }

  /** Resolves a bearer secret to its merchant and key, or throws a 401. */
  async authenticate(secret: string | undefined): Promise<Caller> {
    if (!secret) {
      throw new AuthenticationError(
        'api_key_missing',
        'No API key provided. Send `Authorization: Bearer sk_...` with your secret key.',
      );
    }
    if (!looksLikeSecretKey(secret)) throw new AuthenticationError('api_key_invalid', INVALID_KEY_MESSAGE);
    let key = this.keyCache.get(secret);
    if (!key) {
      key = (await this.repository.findLiveKey(hashSecretKey(secret))) ?? undefined;
      if (key) this.keyCache.set(secret, key);
    }
    if (!key || (key.expiresAt && key.expiresAt.getTime() <= Date.now())) {
      throw new AuthenticationError('api_key_invalid', INVALID_KEY_MESSAGE);
    }
    return { merchantId: key.merchantId, keyId: key.keyId, access: key.access };
  }

  /** A merchant's name, as its customers see it (the customer portal). */
  async merchantName(merchantId: string): Promise<string> {
    const merchant = await this.repository.findMerchant(merchantId);
    if (!merchant) throw NotFoundError.resource('merchant', merchantId);
    return merchant.name;
  }

  /** Drops a key this process has cached, after it was revoked or rolled. */
  forgetKey(keyId: string): void {
    for (const [secret, key] of this.keyCache.entries()) {
      if (key.keyId === keyId) this.keyCache.delete(secret);
    }
  }

  /**
   * Makes sure the development merchant exists and that `candidate` (the configured or the
   * previously printed key) authenticates; issues a new key when there is no usable candidate.
   */
  async ensureDevelopmentMerchant(candidate?: string): Promise<{ merchantId: string; secretKey: string }> {
    const usable =
      candidate && looksLikeSecretKey(candidate) && candidate.startsWith('sk_') ? candidate : undefined;
    if (usable) {
      const existing = await this.repository.findLiveKey(hashSecretKey(usable));
      if (existing) return { merchantId: existing.merchantId, secretKey: usable };
    }
    let secret = usable ?? generateSecretKey();
    const merchant = await this.repository.findDevelopmentMerchant();
    if (merchant) {
      // A candidate that was revoked or rolled away is stored already and cannot come back.
      if (!(await this.repository.addKey(merchant.id, newKey(secret, 'Development key', 'full')))) {
        secret = generateSecretKey();
        await this.repository.addKey(merchant.id, newKey(secret, 'Development key', 'full'));
      }
      return { merchantId: merchant.id, secretKey: secret };
    }
    const key = newKey(secret, 'Development key', 'full');
    const created = await this.repository.createMerchantWithKey('Development merchant', true, key);
    return { merchantId: created.id, secretKey: secret };
  }
}
