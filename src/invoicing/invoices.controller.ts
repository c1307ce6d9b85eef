import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { parseIdempotencyKey } from '../common/idempotency/idempotency-key.js';
import { MerchantId } from '../identity/auth.decorators.js';
import {
  CreateBillingInvoiceDto,
  CreateInvoiceDto,
  CreateInvoiceLineItemDto,
  ListInvoicesQueryDto,
  PayInvoiceDto,
} from './dto/invoice.dto.js';
import { InvoicesService } from './invoices.service.js';

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1/billing/billing_invoice')
export class BillingInvoiceController {
  constructor(private readonly invoices: InvoicesService) {}

  /** Bills a payer's usage in [start_date, end_date); answers the draft, which its workflow moves on. */
  @Post()
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreateBillingInvoiceDto,
    @Headers('idempotency-key') idempotencyKey?: string,
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
  @Post()
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreateInvoiceDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.invoices.createManualInvoice(merchantId, body, parseIdempotencyKey(idempotencyKey));
  }

  @Get()
  list(@MerchantId() merchantId: string, @Query() query: ListInvoicesQueryDto) {
    return this.invoices.list(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.invoices.get(merchantId, id);
  }

  /** Issues a draft manual invoice (409 when it is not one). */
  @Post(':id/issue')
  @HttpCode(200)
  issue(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.invoices.issue(merchantId, id);
  }

  /** Attempts a charge now. Each call is one more attempt (not idempotent); a paid invoice answers 409. */
  @Post(':id/pay')
  @HttpCode(200)
  pay(@MerchantId() merchantId: string, @Param('id') id: string, @Body() body: PayInvoiceDto) {
    return this.invoices.pay(merchantId, id, body ?? {});
  }

  @Post(':id/void')
  @HttpCode(200)
  void(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.invoices.void(merchantId, id);
  }
}

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1/invoice_line_items')
export class InvoiceLineItemsController {
  constructor(private readonly invoices: InvoicesService) {}

  @Post()
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreateInvoiceLineItemDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.invoices.addLine(merchantId, body, parseIdempotencyKey(idempotencyKey));
  }
}
