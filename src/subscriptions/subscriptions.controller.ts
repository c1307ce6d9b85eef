import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, ApiFails, listOf } from '../common/http/openapi/api-contract.js';
import { parseIdempotencyKey } from '../common/idempotency/idempotency-key.js';
import { MerchantId, Needs } from '../identity/auth.decorators.js';
import { ApiIdempotencyKeyHeader } from '../invoicing/dto/idempotency-key-header.js';
import { PRICE_ERROR_CODES } from '../metering/domain/price.js';
import {
  CancelSubscriptionDto,
  CreateSubscriptionDto,
  ListSubscriptionsQueryDto,
  SubscriptionReportQueryDto,
  UpdateSubscriptionDto,
} from './dto/subscription.dto.js';
import {
  Subscription,
  SubscriptionBillNowResult,
  SubscriptionUsageReport,
} from './dto/subscription-resource.dto.js';
import { SubscriptionsService } from './subscriptions.service.js';

@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  /** Subscribes a customer and starts its billing cycle; the first period opens at start_date. */
  @Needs('write')
  @Post()
  @HttpCode(201)
  @ApiIdempotencyKeyHeader()
  @ApiAnswers(201, Subscription)
  @ApiFails({
    400: [
      'idempotency_key_invalid',
      'resource_missing',
      'currency_mismatch',
      'duplicate_item',
      'unknown_payment_method',
      'payment_method_required',
      ...PRICE_ERROR_CODES,
    ],
    409: ['idempotency_key_reused', 'billing_mode_conflict'],
  })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreateSubscriptionDto,
    @Headers('Idempotency-Key') idempotencyKey?: string,
  ) {
    return this.subscriptions.create(merchantId, body, parseIdempotencyKey(idempotencyKey));
  }

  /** Subscriptions, newest first, optionally of one customer. */
  @Needs('read')
  @Get()
  @ApiAnswers(200, listOf(Subscription))
  list(@MerchantId() merchantId: string, @Query() query: ListSubscriptionsQueryDto) {
    return this.subscriptions.list(merchantId, query);
  }

  /** A subscription with its plan, current period and any plan change waiting for the next one. */
  @Needs('read')
  @Get(':id')
  @ApiAnswers(200, Subscription)
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.subscriptions.get(merchantId, id);
  }

  /** Items and base amount change from the next period; idempotent. */
  @Needs('write')
  @Post(':id')
  @HttpCode(200)
  @ApiAnswers(200, Subscription)
  @ApiFails({
    400: ['resource_missing', 'currency_mismatch', 'duplicate_item', ...PRICE_ERROR_CODES],
    409: ['subscription_canceled'],
  })
  update(@MerchantId() merchantId: string, @Param('id') id: string, @Body() body: UpdateSubscriptionDto) {
    return this.subscriptions.update(merchantId, id, body);
  }

  /** Cancels at the end of the current period (default) or now; a canceled subscription answers 409. */
  @Needs('write')
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiAnswers(200, Subscription)
  @ApiFails({ 409: ['subscription_canceled'] })
  cancel(@MerchantId() merchantId: string, @Param('id') id: string, @Body() body: CancelSubscriptionDto) {
    return this.subscriptions.cancel(merchantId, id, body ?? {});
  }

  /** Invoices the overage so far now (each call bills only what was not billed). */
  @Needs('write')
  @Post(':id/bill_now')
  @HttpCode(200)
  @ApiAnswers(200, SubscriptionBillNowResult)
  @ApiFails({ 409: ['subscription_canceled', 'subscription_not_started'] })
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
  @Needs('read')
  @Get('subscription')
  @ApiAnswers(200, SubscriptionUsageReport)
  @ApiFails({ 404: ['resource_missing'], 409: ['subscription_not_started'] })
  report(@MerchantId() merchantId: string, @Query() query: SubscriptionReportQueryDto) {
    return this.subscriptions.report(merchantId, query.subscription_id);
  }
}
