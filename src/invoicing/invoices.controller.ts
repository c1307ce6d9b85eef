import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, ApiFails, listOf } from '../common/http/openapi/api-contract.js';
import { parseIdempotencyKey } from '../common/idempotency/idempotency-key.js';
import { MerchantId, Needs } from '../identity/auth.decorators.js';
import { ApiIdempotencyKeyHeader } from './dto/idempotency-key-header.js';
import {
  CreateBillingInvoiceDto,
  CreateInvoiceDto,
  CreateInvoiceLineItemDto,
  ListInvoicesQueryDto,
  PayInvoiceDto,
} from './dto/invoice.dto.js';
import { Invoice, InvoiceLineItem, InvoiceWithCharges } from './dto/invoice-resource.dto.js';
import { InvoicesService } from './invoices.service.js';

/** The 400s of naming who pays and with what (PayersService.requirePayer / requirePaymentMethod). */
const PAYER_CODES = [
  'payer_conflict',
  'payer_required',
  'resource_missing',
  'unknown_payment_method',
  'payment_method_required',
] as const;

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1/billing/billing_invoice')
export class BillingInvoiceController {
  constructor(private readonly invoices: InvoicesService) {}

  /** Bills a payer's usage in [start_date, end_date); answers the draft, which its workflow moves on. */
  @Needs('write')
  @Post()
  @HttpCode(201)
  @ApiIdempotencyKeyHeader()
  @ApiAnswers(201, InvoiceWithCharges)
  @ApiFails({
    400: ['idempotency_key_invalid', ...PAYER_CODES, 'window_invalid', 'currency_required'],
    409: ['idempotency_key_reused'],
  })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreateBillingInvoiceDto,
    @Headers('Idempotency-Key') idempotencyKey?: string,
  ) {
    return this.invoices.createBillingInvoice(merchantId, body, parseIdempotencyKey(idempotencyKey));
  }
}

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1/invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  /** A draft manual invoice, for one-off charges. */
  @Needs('write')
  @Post()
  @HttpCode(201)
  @ApiIdempotencyKeyHeader()
  @ApiAnswers(201, InvoiceWithCharges)
  @ApiFails({ 400: ['idempotency_key_invalid', ...PAYER_CODES], 409: ['idempotency_key_reused'] })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreateInvoiceDto,
    @Headers('Idempotency-Key') idempotencyKey?: string,
  ) {
    return this.invoices.createManualInvoice(merchantId, body, parseIdempotencyKey(idempotencyKey));
  }

  /** Invoices, newest first, optionally of one payer (customer or account, not both) and status. */
  @Needs('read')
  @Get()
  @ApiAnswers(200, listOf(Invoice))
  @ApiFails({ 400: ['payer_conflict'] })
  list(@MerchantId() merchantId: string, @Query() query: ListInvoicesQueryDto) {
    return this.invoices.list(merchantId, query);
  }

  /** An invoice with its lines and charge attempts. */
  @Needs('read')
  @Get(':id')
  @ApiAnswers(200, InvoiceWithCharges)
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.invoices.get(merchantId, id);
  }

  /** Issues a draft manual invoice (409 when it is not one). */
  @Needs('write')
  @Post(':id/issue')
  @HttpCode(200)
  @ApiAnswers(200, InvoiceWithCharges)
  @ApiFails({ 409: ['invoice_not_draft'] })
  issue(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.invoices.issue(merchantId, id);
  }

  /** Attempts a charge now. Each call is one more attempt (not idempotent); a paid invoice answers 409. */
  @Needs('write')
  @Post(':id/pay')
  @HttpCode(200)
  @ApiAnswers(200, InvoiceWithCharges)
  @ApiFails({
    400: ['unknown_payment_method', 'payment_method_required'],
    409: ['invoice_not_payable', 'invoice_state_conflict'],
  })
  pay(@MerchantId() merchantId: string, @Param('id') id: string, @Body() body: PayInvoiceDto) {
    return this.invoices.pay(merchantId, id, body ?? {});
  }

  /** Voids an invoice that is not paid; its usage is released to be billed again. */
  @Needs('write')
  @Post(':id/void')
  @HttpCode(200)
  @ApiAnswers(200, InvoiceWithCharges)
  @ApiFails({ 409: ['invoice_not_voidable', 'invoice_state_conflict'] })
  void(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.invoices.void(merchantId, id);
  }
}

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1/invoice_line_items')
export class InvoiceLineItemsController {
  constructor(private readonly invoices: InvoicesService) {}

  /** Adds a line to a draft manual invoice. */
  @Needs('write')
  @Post()
  @HttpCode(201)
  @ApiIdempotencyKeyHeader()
  @ApiAnswers(201, InvoiceLineItem)
  @ApiFails({
    400: ['idempotency_key_invalid', 'resource_missing'],
    409: ['invoice_not_draft', 'idempotency_key_reused'],
  })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreateInvoiceLineItemDto,
    @Headers('Idempotency-Key') idempotencyKey?: string,
  ) {
    return this.invoices.addLine(merchantId, body, parseIdempotencyKey(idempotencyKey));
  }
}
