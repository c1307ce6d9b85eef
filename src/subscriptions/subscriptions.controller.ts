import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { parseIdempotencyKey } from '../common/idempotency/idempotency-key.js';
import { MerchantId } from '../identity/auth.decorators.js';
import {
  CancelSubscriptionDto,
  CreateSubscriptionDto,
  ListSubscriptionsQueryDto,
  SubscriptionReportQueryDto,
  UpdateSubscriptionDto,
} from './dto/subscription.dto.js';
import { SubscriptionsService } from './subscriptions.service.js';

@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreateSubscriptionDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.subscriptions.create(merchantId, body, parseIdempotencyKey(idempotencyKey));
  }

  @Get()
  list(@MerchantId() merchantId: string, @Query() query: ListSubscriptionsQueryDto) {
    return this.subscriptions.list(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.subscriptions.get(merchantId, id);
  }

  /** Items and base amount change from the next period; idempotent. */
  @Post(':id')
  @HttpCode(200)
  update(@MerchantId() merchantId: string, @Param('id') id: string, @Body() body: UpdateSubscriptionDto) {
    return this.subscriptions.update(merchantId, id, body);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@MerchantId() merchantId: string, @Param('id') id: string, @Body() body: CancelSubscriptionDto) {
    return this.subscriptions.cancel(merchantId, id, body ?? {});
  }

  /** Invoices the overage so far now (each call bills only what was not billed). */
  @Post(':id/bill_now')
  @HttpCode(200)
  billNow(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.subscriptions.billNow(merchantId, id);
  }
}

@ApiTags('usage reports')
@ApiBearerAuth()
@Controller('v1/billing/report')
export class SubscriptionReportController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  /** The current period of a subscription: usage against allotments, overage, base fee. */
  @Get('subscription')
  report(@MerchantId() merchantId: string, @Query() query: SubscriptionReportQueryDto) {
    return this.subscriptions.report(merchantId, query.subscription_id);
  }
}
