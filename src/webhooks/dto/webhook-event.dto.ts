import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { idPattern, pageQueryFor } from '../../common/pagination/page-query.dto.js';
import { WEBHOOK_EVENT_TYPES } from '../domain/event-types.js';
import { Optional } from '../../common/validation/optional.js';

export class ListWebhookEventsQueryDto extends pageQueryFor('webhookEvent') {
  /** Only events of this type. */
  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES })
  @Optional()
  @IsIn(WEBHOOK_EVENT_TYPES)
  type?: (typeof WEBHOOK_EVENT_TYPES)[number];
}

export class RedeliverWebhookEventDto {
  /**
   * Only to this endpoint (`we_…`), which must exist (404 `resource_missing`) and be enabled
   * (400 `endpoint_disabled`); by default, to every endpoint the event was sent to.
   */
  @ApiPropertyOptional({ pattern: idPattern('webhookEndpoint'), example: 'we_01jdx3k5vq8m2n4p6r8t0w2y4a' })
  @Optional()
  @IsString()
  endpoint?: string;
}

export class WebhookDeliveryAttemptsQueryDto extends pageQueryFor('webhookDeliveryAttempt') {}
