import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, ApiFails, listOf } from '../common/http/openapi/api-contract.js';
import { parseIdempotencyKey } from '../common/idempotency/idempotency-key.js';
import { MerchantId, Needs, Portal, type PortalCaller, PortalRoute } from '../identity/auth.decorators.js';
import { Invoice, InvoiceWithCharges } from '../invoicing/dto/invoice-resource.dto.js';
import { UpcomingInvoice } from '../previews/dto/upcoming-invoice-resource.dto.js';
import { CreatePortalSessionDto, PortalInvoicesQueryDto } from './dto/portal-session.dto.js';
import {
  PortalCredits,
  PortalSession,
  PortalSessionSummary,
  PortalUsage,
} from './dto/portal-resource.dto.js';
import { PortalSessionsService } from './portal-sessions.service.js';
import { PortalService } from './portal.service.js';

@ApiTags('customer portal')
@ApiBearerAuth()
@Controller('v1/portal_sessions')
export class PortalSessionsController {
  constructor(private readonly sessions: PortalSessionsService) {}

  /** A short-lived URL (default one hour) showing one payer its usage, credits, upcoming and past invoices. */
  @Needs('write')
  @Post()
  @HttpCode(201)
  // Named as @Headers reads it, so the two make one parameter (names are compared exactly).
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description:
      '1 to 255 visible ASCII characters. A retry with the same key and body answers the session the ' +
      'first request made (201 again) with a new URL, the earlier one no longer working (Tally keeps ' +
      'no token to show again); the same key with another body is a 409 `idempotency_key_reused`.',
    // parseIdempotencyKey's rule.
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
  })
  @ApiAnswers(
    201,
    PortalSession,
    'Created (or, for a repeated Idempotency-Key, the first session, with a new URL).',
  )
  @ApiFails({
    400: ['payer_required', 'payer_conflict', 'resource_missing', 'url_invalid', 'idempotency_key_invalid'],
    409: ['idempotency_key_reused'],
  })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreatePortalSessionDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.sessions.create(merchantId, body, parseIdempotencyKey(idempotencyKey));
  }
}

/**
 * What the customer portal page reads, with `Authorization: Bearer pst_…` (the token from the
 * URL's fragment): the session's payer alone, read only. API keys are refused (403).
 */
@ApiTags('customer portal')
@Controller('v1/portal')
export class PortalController {
  constructor(private readonly portal: PortalService) {}

  /** The session: whose portal it is (payer and merchant names), where "back" goes, when it expires. */
  @PortalRoute()
  @Get('session')
  @ApiAnswers(200, PortalSessionSummary)
  session(@Portal() caller: PortalCaller) {
    return this.portal.session(caller);
  }

  /** Usage this period per metric (quantity, amount) with hourly or daily series for a chart. */
  @PortalRoute()
  @Get('usage')
  @ApiAnswers(200, PortalUsage)
  usage(@Portal() caller: PortalCaller) {
    return this.portal.usage(caller);
  }

  /** Credits remaining in each currency, against the threshold, with the projected depletion. */
  @PortalRoute()
  @Get('credits')
  @ApiAnswers(200, PortalCredits)
  credits(@Portal() caller: PortalCaller) {
    return this.portal.credits(caller);
  }

  /** The upcoming invoice preview; 404 `resource_missing` when there is none to show now. */
  @PortalRoute()
  @Get('upcoming_invoice')
  @ApiAnswers(200, UpcomingInvoice)
  @ApiFails({ 404: ['resource_missing'] })
  upcoming(@Portal() caller: PortalCaller) {
    return this.portal.upcoming(caller);
  }

  /** The payer's invoices, newest first; drafts are not shown. */
  @PortalRoute()
  @Get('invoices')
  @ApiAnswers(200, listOf(Invoice))
  invoices(@Portal() caller: PortalCaller, @Query() query: PortalInvoicesQueryDto) {
    return this.portal.invoices(caller, query);
  }

  /** One of the payer's invoices (not a draft); any other id is a 404. */
  @PortalRoute()
  @Get('invoices/:id')
  @ApiAnswers(200, InvoiceWithCharges)
  invoice(@Portal() caller: PortalCaller, @Param('id') id: string) {
    return this.portal.invoice(caller, id);
  }
}
