import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MerchantId } from '../identity/auth.decorators.js';
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

  @Get()
  list(@MerchantId() merchantId: string, @Query() query: ListWebhookEventsQueryDto) {
    return this.events.list(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.events.get(merchantId, id);
  }

  @Get(':id/deliveries')
  deliveries(
    @MerchantId() merchantId: string,
    @Param('id') id: string,
    @Query() query: WebhookDeliveryAttemptsQueryDto,
  ) {
    return this.events.attempts(merchantId, id, query);
  }

  /** Sends the event again (each call is one more send; receivers dedupe by `webhook-id`). */
  @Post(':id/redeliver')
  @HttpCode(200)
  redeliver(
    @MerchantId() merchantId: string,
    @Param('id') id: string,
    @Body() body: RedeliverWebhookEventDto,
  ) {
    return this.events.redeliver(merchantId, id, body ?? {});
  }
}
