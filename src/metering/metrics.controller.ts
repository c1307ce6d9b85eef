import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MerchantId } from '../identity/auth.decorators.js';
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

  @Post()
  @HttpCode(201)
  create(@MerchantId() merchantId: string, @Body() body: CreateMetricDto) {
    return this.metrics.create(merchantId, body);
  }

  @Get()
  list(@MerchantId() merchantId: string, @Query() query: ListMetricsQueryDto) {
    return this.metrics.list(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.metrics.get(merchantId, id);
  }

  /** Stops the metric taking events (they are then refused); its data stays. Idempotent. */
  @Post(':id/archive')
  @HttpCode(200)
  archive(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.metrics.archive(merchantId, id);
  }
}
