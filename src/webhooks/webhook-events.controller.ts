import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, ApiFails, listOf } from '../common/http/openapi/api-contract.js';
import { MerchantId, Needs } from '../identity/auth.decorators.js';
import {
  WebhookDeliveryAttempt,
  WebhookEvent,
  WebhookEventWithDeliveries,
} from './dto/webhook-event-resource.dto.js';
import {
  ListWebhookEventsQueryDto,
  RedeliverWebhookEventDto,
  WebhookDeliveryAttemptsQueryDto,
} from './dto/webhook-event.dto.js';
import { WebhookEventsService } from './webhook-events.service.js';

@ApiTags('webhook events')
@ApiBearerAuth()
@Controller('v1/webhook_events')
export class WebhookEventsController {
  constructor(private readonly events: WebhookEventsService) {}

  /** Events, newest first. */
  @Needs('read')
  @Get()
  @ApiAnswers(200, listOf(WebhookEvent))
  list(@MerchantId() merchantId: string, @Query() query: ListWebhookEventsQueryDto) {
    return this.events.list(merchantId, query);
  }

  /** The event, and where it stands at each endpoint it was sent to. */
  @Needs('read')
  @Get(':id')
  @ApiAnswers(200, WebhookEventWithDeliveries)
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.events.get(merchantId, id);
  }

  /** Every attempt to deliver the event, newest first. */
  @Needs('read')
  @Get(':id/deliveries')
  @ApiAnswers(200, listOf(WebhookDeliveryAttempt))
  deliveries(
    @MerchantId() merchantId: string,
    @Param('id') id: string,
    @Query() query: WebhookDeliveryAttemptsQueryDto,
  ) {
    return this.events.attempts(merchantId, id, query);
  }

  /** Sends the event again (each call is one more send; receivers dedupe by `webhook-id`). */
  @Needs('write')
  @Post(':id/redeliver')
  @HttpCode(200)
  @ApiAnswers(200, WebhookEventWithDeliveries)
  @ApiFails({ 400: ['endpoint_disabled'], 404: ['resource_missing'] })
  redeliver(
    @MerchantId() merchantId: string,
    @Param('id') id: string,
    @Body() body: RedeliverWebhookEventDto,
  ) {
    return this.events.redeliver(merchantId, id, body ?? {});
  }
}
