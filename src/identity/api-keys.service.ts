import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '../common/errors/tally-error.js';
import { toListResponse, toPageRequest } from '../common/pagination/pagination.js';
import { ApiKeyEntity } from './api-key.entity.js';
import type { RestrictedAccess } from './domain/key-access.js';
import { generateSecretKey, keyPrefix } from './domain/secret-key.js';
import type { ApiKey, CreatedApiKey, RolledApiKey } from './dto/api-key-resource.dto.js';
import type { ListApiKeysQueryDto } from './dto/api-key.dto.js';
import { IdentityRepository, type KeyChange } from './identity.repository.js';
import { IdentityService, newKey } from './identity.service.js';

export function presentApiKey(key: ApiKeyEntity, now = new Date()): ApiKey {
  return {
    id: key.id,
    object: 'api_key',
    name: key.name,
    access: key.access,
    redacted_secret: `${keyPrefix(key.access)}…${key.secretHint}`,
    created: key.createdAt.toISOString(),
    expires_at: key.expiresAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
    live: key.revokedAt === null && (key.expiresAt === null || key.expiresAt > now),
  };
}

/** A merchant's own keys: restricted keys, listing, revoking and rolling. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repository: IdentityRepository,
    private readonly identity: IdentityService,
  ) {}

  async create(merchantId: string, name: string, access: RestrictedAccess): Promise<CreatedApiKey> {
    const secret = generateSecretKey(access);
    const key = await this.repository.createKey(merchantId, newKey(secret, name, access));
    return { api_key: presentApiKey(key), secret };
  }

  async list(merchantId: string, query: ListApiKeysQueryDto) {
    const page = toPageRequest(query, 'apiKey');
    return toListResponse(await this.repository.listKeys(merchantId, page), page, (key) =>
      presentApiKey(key),
    );
  }

  async get(merchantId: string, id: string): Promise<ApiKey> {
    const key = await this.repository.findKey(merchantId, id);
    if (!key) throw NotFoundError.resource('API key', id);
    return presentApiKey(key);
  }

  async revoke(merchantId: string, id: string): Promise<ApiKey> {
    const key = made(await this.repository.revokeKey(merchantId, id), id);
    this.identity.forgetKey(id);
    return presentApiKey(key);
  }

  async roll(merchantId: string, id: string, graceSeconds: number): Promise<RolledApiKey> {
    const current = await this.repository.findKey(merchantId, id);
    if (!current) throw NotFoundError.resource('API key', id);
    const secret = generateSecretKey(current.access);
    const change = await this.repository.rollKey(
      merchantId,
      id,
      graceSeconds,
      newKey(secret, '', current.access),
    );
    const { rolled, successor } = made(change, id);
    this.identity.forgetKey(id);
    return { api_key: presentApiKey(successor), secret, rolled: presentApiKey(rolled) };
  }
}

/** What a key change made, or the error that says why it was not made. */
function made<T>(change: KeyChange<T>, id: string): T {
  if ('done' in change) return change.done;
  switch (change.refused) {
    case 'missing':
      throw NotFoundError.resource('API key', id);
    case 'last_secret_key':
      throw new ConflictError(
        'last_secret_key',
        'This is the last live secret key of the account: roll it instead, or it could not call the API again.',
      );
    case 'inactive':
      throw new ConflictError(
        'api_key_inactive',
        'This key is revoked or expired; only a live key can be rolled.',
      );
  }
}
