import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, ApiFails, listOf } from '../common/http/openapi/api-contract.js';
import { MerchantId, Needs } from '../identity/auth.decorators.js';
import { BillingMetric } from './dto/metric-resource.dto.js';
import { PRICE_ERROR_CODES } from './domain/price.js';
import { CreateMetricDto, ListMetricsQueryDto } from './dto/metric.dto.js';
import { MetricsService } from './metrics.service.js';

/**
 * Billing metrics. Creating one is not idempotent by itself, but a retried create cannot make
 * a second active metric: the same event_name answers 409 `event_name_taken`.
 */
@ApiTags('billing metrics')
@ApiBearerAuth()
@Controller('v1/billing/metering')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Needs('write')
  @Post()
  @HttpCode(201)
  @ApiAnswers(201, BillingMetric)
  @ApiFails({ 400: [...PRICE_ERROR_CODES], 409: ['event_name_taken'] })
  create(@MerchantId() merchantId: string, @Body() body: CreateMetricDto) {
    return this.metrics.create(merchantId, body);
  }

  @Needs('read')
  @Get()
  @ApiAnswers(200, listOf(BillingMetric))
  list(@MerchantId() merchantId: string, @Query() query: ListMetricsQueryDto) {
    return this.metrics.list(merchantId, query);
  }

  @Needs('read')
  @Get(':id')
  @ApiAnswers(200, BillingMetric)
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.metrics.get(merchantId, id);
  }

  /** Stops the metric taking events (they are then refused); its data stays. Idempotent. */
  @Needs('write')
  @Post(':id/archive')
  @HttpCode(200)
  @ApiAnswers(200, BillingMetric)
  archive(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.metrics.archive(merchantId, id);
  }
}
