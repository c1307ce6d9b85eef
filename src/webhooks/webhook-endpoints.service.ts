import { Injectable } from '@nestjs/common';
import { requestFingerprint } from '../common/idempotency/idempotency-key.js';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/tally-error.js';
import { isIdOf, newId } from '../common/ids/ids.js';
import type { PageQuery } from '../common/pagination/page-query.dto.js';
import { type ListResponse, toListResponse, toPageRequest } from '../common/pagination/pagination.js';
import { unknownEventTypes, WEBHOOK_EVENT_TYPES } from './domain/event-types.js';
import { newWebhookSecret } from './domain/signing.js';
import { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto.js';
import type { DeletedWebhookEndpoint, WebhookEndpoint } from './dto/webhook-endpoint-resource.dto.js';
import { UrlPolicy } from './url-policy.js';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { presentEndpoint } from './webhooks.presenter.js';

/** After a rotation the old secret keeps signing this long, so receivers can switch without a gap. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

function assertKnownEventTypes(enabledEvents: string[]): void {
  const unknown = unknownEventTypes(enabledEvents);
  if (unknown.length > 0) {
    throw new ValidationError(
      'event_type_unknown',
      `Unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `'${t}'`).join(', ')}; ` +
        `use "*" or any of ${WEBHOOK_EVENT_TYPES.join(', ')}.`,
      'enabled_events',
    );
  }
}

@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly repository: WebhookEndpointsRepository,
    private readonly urls: UrlPolicy,
    private readonly secrets: WebhookSecrets,
  ) {}

  /** Registers an endpoint; with an Idempotency-Key, a retry answers the first endpoint (secret included). */
  async create(
    merchantId: string,
    input: CreateWebhookEndpointDto,
    idempotencyKey: string | null,
  ): Promise<WebhookEndpoint> {
    assertKnownEventTypes(input.enabled_events);
    await this.urls.assertRegistrable(input.url);
    const fingerprint = idempotencyKey === null ? null : requestFingerprint(input);
    const { endpoint } = await this.repository.insert({
      merchantId,
      id: newId('webhookEndpoint'),
      url: input.url,
      description: input.description ?? null,
      enabledEvents: [...new Set(input.enabled_events)],
      status: 'enabled',
      disabledReason: null,
      secret: this.secrets.seal(newWebhookSecret()),
      idempotencyKey,
      requestHash: fingerprint,
    });
    if (endpoint.deletedAt !== null) {
      // Its secret must not come back once the endpoint is gone; nor may a retry make another.
      throw new ConflictError(
        'idempotency_key_reused',
        `The webhook endpoint this Idempotency-Key created (${endpoint.id}) has been deleted; use a new key to create another.`,
      );
    }
    return this.present(endpoint, true);
  }

  async get(merchantId: string, id: string): Promise<WebhookEndpoint> {
    return this.present(await this.require(merchantId, id));
  }

  async list(merchantId: string, query: PageQuery): Promise<ListResponse<WebhookEndpoint>> {
    const page = toPageRequest(query, 'webhookEndpoint');
    return toListResponse(await this.repository.list(merchantId, page), page, (e) => this.present(e));
  }

  /** Changes the given fields; idempotent. */
  async update(merchantId: string, id: string, input: UpdateWebhookEndpointDto): Promise<WebhookEndpoint> {
    await this.require(merchantId, id);
    if (input.enabled_events != null) assertKnownEventTypes(input.enabled_events);
    if (input.url !== undefined) await this.urls.assertRegistrable(input.url);
    const updated = await this.repository.update(merchantId, id, {
      ...(input.url !== undefined && { url: input.url }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.enabled_events != null && { enabledEvents: [...new Set(input.enabled_events)] }),
      ...(input.disabled !== undefined && {
        status: input.disabled ? ('disabled' as const) : ('enabled' as const),
        disabledReason: null,
      }),
    });
    if (!updated) throw NotFoundError.resource('webhook endpoint', id);
    return this.present(updated);
  }

  /** Deletes the endpoint: no further deliveries, pending ones are skipped. Deleting again is 404. */
  async delete(merchantId: string, id: string): Promise<DeletedWebhookEndpoint> {
    if (!isIdOf('webhookEndpoint', id) || !(await this.repository.softDelete(merchantId, id))) {
      throw NotFoundError.resource('webhook endpoint', id);
    }
    return { id, object: 'webhook_endpoint' as const, deleted: true };
  }

  /**
   * A new signing secret, shown in full in this answer only. The previous one keeps signing
   * alongside it for 24 hours. Not idempotent: each call makes a new secret.
   */
  async rotateSecret(merchantId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.require(merchantId, id);
    const updated = await this.repository.update(merchantId, id, {
      secret: this.secrets.seal(newWebhookSecret()),
      // Resealed, so that a rotation also moves the outgoing secret to the current key.
      previousSecret: this.secrets.seal(this.secrets.open(endpoint.secret)),
      previousSecretExpiresAt: new Date(Date.now() + SECRET_OVERLAP_MS),
    });
    if (!updated) throw NotFoundError.resource('webhook endpoint', id);
    return this.present(updated, true);
  }

  /** The answer for a stored endpoint: its secret opened, in full only when `revealSecret`. */
  private present(endpoint: WebhookEndpointEntity, revealSecret = false): WebhookEndpoint {
    return presentEndpoint(endpoint, this.secrets.open(endpoint.secret), revealSecret);
  }

  private async require(merchantId: string, id: string): Promise<WebhookEndpointEntity> {
    const endpoint = isIdOf('webhookEndpoint', id) ? await this.repository.find(merchantId, id) : null;
    if (!endpoint) throw NotFoundError.resource('webhook endpoint', id);
    return endpoint;
  }
}
