import { Body, Controller, Get, HttpCode, Param, Post, Query, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, ApiFails, listOf } from '../common/http/openapi/api-contract.js';
import { MerchantId, Needs } from '../identity/auth.decorators.js';
import { Account, Customer, PaymentMethod } from './dto/payer-resource.dto.js';
import {
  AttachPaymentMethodDto,
  CreatePayerDto,
  listPayersQuery,
  PaymentMethodsQueryDto,
  UpdatePayerDto,
} from './dto/payer.dto.js';
import { type PayerKind } from './payer.entity.js';
import { PayersService } from './payers.service.js';

/**
 * Customers and accounts expose the same routes; one definition serves both paths.
 * Creating a payer is not idempotent by itself: give `external_id` so that a retried create
 * answers 409 `external_id_taken` instead of making a second payer.
 */
function payersController(kind: PayerKind, path: string): Type<unknown> {
  // A class (not a type alias), so the validation pipe sees it as the query's metatype.
  class ListQuery extends listPayersQuery(kind) {}
  const Payer = kind === 'customer' ? Customer : Account;

  @ApiTags(path)
  @ApiBearerAuth()
  @Controller(`v1/${path}`)
  class PayersController {
    constructor(readonly payers: PayersService) {}

    @Needs('write')
    @Post()
    @HttpCode(201)
    @ApiAnswers(201, Payer)
    @ApiFails({ 409: ['external_id_taken'] })
    create(@MerchantId() merchantId: string, @Body() body: CreatePayerDto) {
      return this.payers.create(merchantId, kind, body);
    }

    @Needs('read')
    @Get()
    @ApiAnswers(200, listOf(Payer))
    list(@MerchantId() merchantId: string, @Query() query: ListQuery) {
      return this.payers.list(merchantId, kind, query);
    }

    @Needs('read')
    @Get(':id')
    @ApiAnswers(200, Payer)
    get(@MerchantId() merchantId: string, @Param('id') id: string) {
      return this.payers.get(merchantId, kind, id);
    }

    /** Changes the given fields (and the default payment method); idempotent. */
    @Needs('write')
    @Post(':id')
    @HttpCode(200)
    @ApiAnswers(200, Payer)
    @ApiFails({ 400: ['unknown_payment_method'], 409: ['external_id_taken'] })
    update(@MerchantId() merchantId: string, @Param('id') id: string, @Body() body: UpdatePayerDto) {
      return this.payers.update(merchantId, kind, id, body);
    }

    @Needs('write')
    @Post(':id/payment_methods')
    @HttpCode(201)
    @ApiAnswers(201, PaymentMethod)
    @ApiFails({ 400: ['unknown_token'] })
    attachPaymentMethod(
      @MerchantId() merchantId: string,
      @Param('id') id: string,
      @Body() body: AttachPaymentMethodDto,
    ) {
      return this.payers.attachPaymentMethod(merchantId, kind, id, body.token);
    }

    @Needs('read')
    @Get(':id/payment_methods')
    @ApiAnswers(200, listOf(PaymentMethod))
    listPaymentMethods(
      @MerchantId() merchantId: string,
      @Param('id') id: string,
      @Query() query: PaymentMethodsQueryDto,
    ) {
      return this.payers.listPaymentMethods(merchantId, kind, id, query);
    }
  }
  Object.defineProperty(PayersController, 'name', {
    value: `${kind[0].toUpperCase()}${kind.slice(1)}sController`,
  });
  return PayersController;
}

export const CustomersController = payersController('customer', 'customers');
export const AccountsController = payersController('account', 'accounts');
