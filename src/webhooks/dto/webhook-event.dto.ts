import { IsIn, IsOptional, IsString } from 'class-validator';
import { pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { WEBHOOK_EVENT_TYPES } from '../domain/event-types.js';

export class ListWebhookEventsQueryDto extends pageQueryFor('webhookEvent') {
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_TYPES)
  type?: (typeof WEBHOOK_EVENT_TYPES)[number];
}

export class RedeliverWebhookEventDto {
  /** Only to this endpoint (`we_…`); by default, to every endpoint the event was sent to. */
  @IsOptional()
  @IsString()
  endpoint?: string;
}

export class WebhookDeliveryAttemptsQueryDto extends pageQueryFor('webhookDeliveryAttempt') {}
