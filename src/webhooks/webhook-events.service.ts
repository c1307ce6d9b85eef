import { Injectable } from '@nestjs/common';
import { NotFoundError, ValidationError } from '../common/errors/tally-error.js';
import { isIdOf } from '../common/ids/ids.js';
import type { PageQuery } from '../common/pagination/page-query.dto.js';
import { type ListResponse, toListResponse, toPageRequest } from '../common/pagination/pagination.js';
import { ListWebhookEventsQueryDto, RedeliverWebhookEventDto } from './dto/webhook-event.dto.js';
import type {
  WebhookDeliveryAttempt,
  WebhookEvent,
  WebhookEventWithDeliveries,
} from './dto/webhook-event-resource.dto.js';
import type { WebhookEventEntity } from './webhook-event.entity.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { WebhookEventsRepository } from './webhook-events.repository.js';
import { presentAttempt, presentDelivery, presentEvent } from './webhooks.presenter.js';

@Injectable()
export class WebhookEventsService {
  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async list(merchantId: string, query: ListWebhookEventsQueryDto): Promise<ListResponse<WebhookEvent>> {
    const page = toPageRequest(query, 'webhookEvent');
    const rows = await this.events.listEvents(merchantId, page, { type: query.type });
    return toListResponse(rows, page, presentEvent);
  }

  /** The event, and where it stands at each endpoint it was sent to. */
  async get(merchantId: string, id: string): Promise<WebhookEventWithDeliveries> {
    const event = await this.require(merchantId, id);
    const deliveries = await this.events.deliveriesOf(merchantId, id);
    return { ...presentEvent(event), deliveries: deliveries.map(presentDelivery) };
  }

  /** Every attempt to deliver the event, newest first. */
  async attempts(
    merchantId: string,
    id: string,
    query: PageQuery,
  ): Promise<ListResponse<WebhookDeliveryAttempt>> {
    await this.require(merchantId, id);
    const page = toPageRequest(query, 'webhookDeliveryAttempt');
    return toListResponse(await this.events.listAttempts(merchantId, id, page), page, presentAttempt);
  }

  /**
   * Sends the event again: to one endpoint (which need not have been subscribed then), or to
   * every endpoint it was sent to. A delivery waiting to retry attempts at once instead.
   */
  async redeliver(
    merchantId: string,
    id: string,
    input: RedeliverWebhookEventDto,
  ): Promise<WebhookEventWithDeliveries> {
    const event = await this.require(merchantId, id);
    let endpointIds: string[];
    if (input.endpoint !== undefined) {
      const endpoint = isIdOf('webhookEndpoint', input.endpoint)
        ? await this.endpoints.find(merchantId, input.endpoint)
        : null;
      if (!endpoint) throw NotFoundError.resource('webhook endpoint', input.endpoint);
      if (endpoint.status !== 'enabled') {
        throw new ValidationError(
          'endpoint_disabled',
          `Webhook endpoint '${endpoint.id}' is disabled; enable it before redelivering to it.`,
          'endpoint',
        );
      }
      await this.events.addDelivery(merchantId, id, endpoint.id);
      endpointIds = await this.events.reopenDeliveries(merchantId, id, [endpoint.id]);
    } else {
      endpointIds = await this.events.reopenDeliveries(merchantId, id);
    }
    // Recorded as pending first: one Temporal does not take now is sent by the sweeper.
    await this.dispatcher.redeliverSoon(
      endpointIds.map((endpointId) => ({ merchantId, eventId: id, endpointId, payerId: event.payerId })),
    );
    return this.get(merchantId, id);
  }

  private async require(merchantId: string, id: string): Promise<WebhookEventEntity> {
    const event = isIdOf('webhookEvent', id) ? await this.events.findEvent(merchantId, id) : null;
    if (!event) throw NotFoundError.resource('webhook event', id);
    return event;
  }
}
