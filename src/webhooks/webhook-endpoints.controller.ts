import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { parseIdempotencyKey } from '../common/idempotency/idempotency-key.js';
import { ApiAnswers, ApiFails, listOf } from '../common/http/openapi/api-contract.js';
import { MerchantId, Needs } from '../identity/auth.decorators.js';
import { DeletedWebhookEndpoint, WebhookEndpoint } from './dto/webhook-endpoint-resource.dto.js';
import {
  CreateWebhookEndpointDto,
  ListWebhookEndpointsQueryDto,
  UpdateWebhookEndpointDto,
} from './dto/webhook-endpoint.dto.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

/** The URL codes: the last two only where private addresses are refused (production). */
const URL_CODES = ['url_invalid', 'url_not_allowed', 'url_unresolvable'] as const;

@ApiTags('webhook endpoints')
@ApiBearerAuth()
@Controller('v1/webhook_endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  /** The answer holds the signing secret in full; later reads show only its end. */
  @Needs('write')
  @Post()
  @HttpCode(201)
  // Named as @Headers reads it, so the two make one parameter (names are compared exactly).
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description:
      '1 to 255 visible ASCII characters. A retry with the same key and body answers the endpoint ' +
      'the first request made (secret included); the same key with another body is a 409.',
    // parseIdempotencyKey's rule.
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
  })
  @ApiAnswers(201, WebhookEndpoint)
  @ApiFails({
    400: ['event_type_unknown', ...URL_CODES, 'idempotency_key_invalid'],
    409: ['idempotency_key_reused'],
  })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreateWebhookEndpointDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.endpoints.create(merchantId, body, parseIdempotencyKey(idempotencyKey));
  }

  @Needs('read')
  @Get()
  @ApiAnswers(200, listOf(WebhookEndpoint))
  list(@MerchantId() merchantId: string, @Query() query: ListWebhookEndpointsQueryDto) {
    return this.endpoints.list(merchantId, query);
  }

  @Needs('read')
  @Get(':id')
  @ApiAnswers(200, WebhookEndpoint)
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.endpoints.get(merchantId, id);
  }

  /** Changes the given fields; idempotent. */
  @Needs('write')
  @Post(':id')
  @HttpCode(200)
  @ApiAnswers(200, WebhookEndpoint)
  @ApiFails({ 400: ['event_type_unknown', ...URL_CODES] })
  update(@MerchantId() merchantId: string, @Param('id') id: string, @Body() body: UpdateWebhookEndpointDto) {
    return this.endpoints.update(merchantId, id, body);
  }

  /** No further deliveries to the endpoint; pending ones are skipped. Deleting again is a 404. */
  @Needs('write')
  @Delete(':id')
  @HttpCode(200)
  @ApiAnswers(200, DeletedWebhookEndpoint)
  delete(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.endpoints.delete(merchantId, id);
  }

  /**
   * A new signing secret, in full in this answer only; the previous one keeps signing alongside
   * it for 24 hours. Each call makes a new secret.
   */
  @Needs('write')
  @Post(':id/rotate_secret')
  @HttpCode(200)
  @ApiAnswers(200, WebhookEndpoint)
  rotateSecret(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.endpoints.rotateSecret(merchantId, id);
  }
}
