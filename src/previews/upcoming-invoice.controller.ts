import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, ApiFails } from '../common/http/openapi/api-contract.js';
import { MerchantId, Needs } from '../identity/auth.decorators.js';
import { UpcomingInvoiceQueryDto } from './dto/upcoming-invoice-query.dto.js';
import { UpcomingInvoice } from './dto/upcoming-invoice-resource.dto.js';
import { UpcomingInvoiceService } from './upcoming-invoice.service.js';

@ApiTags('invoices')
@ApiBearerAuth()
@Controller('v1/invoices')
export class UpcomingInvoiceController {
  constructor(private readonly upcoming: UpcomingInvoiceService) {}

  /**
   * The invoice `POST /v1/billing/billing_invoice` would issue for the payer's window now
   * (lines with tiers, credits that would be applied, total), with `id: null`; with
   * `subscription`, the overage invoice that subscription's current period would issue now
   * (with its minimum commitment's true-up) and its next base fee. Priced by the same functions
   * as real invoices; writes nothing.
   */
  @Needs('read')
  @Get('upcoming')
  @ApiAnswers(200, UpcomingInvoice)
  @ApiFails({
    400: ['payer_conflict', 'payer_required', 'resource_missing', 'window_invalid', 'currency_required'],
    409: ['subscription_not_started'],
  })
  get(@MerchantId() merchantId: string, @Query() query: UpcomingInvoiceQueryDto) {
    return this.upcoming.upcoming(merchantId, query);
  }
}
