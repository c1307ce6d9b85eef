import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { parseIdempotencyKey } from '../common/idempotency/idempotency-key.js';
import { MerchantId } from '../identity/auth.decorators.js';
import {
  CreateWebhookEndpointDto,
  ListWebhookEndpointsQueryDto,
  UpdateWebhookEndpointDto,
} from './dto/webhook-endpoint.dto.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

@ApiTags('webhook endpoints')
@ApiBearerAuth()
@Controller('v1/webhook_endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  /** The answer holds the signing secret in full; later reads show only its end. */
  @Post()
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreateWebhookEndpointDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.endpoints.create(merchantId, body, parseIdempotencyKey(idempotencyKey));
  }

  @Get()
  list(@MerchantId() merchantId: string, @Query() query: ListWebhookEndpointsQueryDto) {
    return this.endpoints.list(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.endpoints.get(merchantId, id);
  }

  @Post(':id')
  @HttpCode(200)
  update(@MerchantId() merchantId: string, @Param('id') id: string, @Body() body: UpdateWebhookEndpointDto) {
    return this.endpoints.update(merchantId, id, body);
  }

  @Delete(':id')
  @HttpCode(200)
  delete(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.endpoints.delete(merchantId, id);
  }

  @Post(':id/rotate_secret')
  @HttpCode(200)
  rotateSecret(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.endpoints.rotateSecret(merchantId, id);
  }
}
