import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, ApiFails, listOf } from '../common/http/openapi/api-contract.js';
import { parseIdempotencyKey } from '../common/idempotency/idempotency-key.js';
import { MerchantId, Needs } from '../identity/auth.decorators.js';
import { CreditGrantsService } from './credit-grants.service.js';
import { CreditMonitorService } from './credit-monitor.service.js';
import {
  CreateCreditGrantDto,
  CreditPayerQueryDto,
  ListCreditGrantsQueryDto,
  ListCreditLedgerQueryDto,
  UpdateCreditSettingsDto,
} from './dto/credit.dto.js';
import { CreditGrant, CreditGrantList } from './dto/credit-grant-resource.dto.js';
import { CreditLedgerEntry } from './dto/credit-ledger-entry-resource.dto.js';
import { CreditSettings, CreditThresholdProgress } from './dto/credit-settings-resource.dto.js';

/** Who pays, as a body names it (PayersService.requirePayer, missing payer: 400). */
const BODY_PAYER = ['payer_required', 'payer_conflict', 'resource_missing'];

/** Who pays, as a query names it (customer_id / account_id; a missing payer is a 404). */
const QUERY_PAYER = ['payer_required', 'payer_conflict'];

@ApiTags('credits')
@ApiBearerAuth()
@Controller('v1/billing/credits')
export class CreditsController {
  constructor(
    private readonly grants: CreditGrantsService,
    private readonly monitor: CreditMonitorService,
  ) {}

  /** Grants prepaid credits: free (drawable now) or paid (invoiced and charged; drawable once paid). */
  @Needs('write')
  @Post()
  @HttpCode(201)
  // Named as @Headers reads it, so the two make one parameter (names are compared exactly).
  @ApiHeader({
    name: 'idempotency-key',
    required: false,
    description:
      '1 to 255 visible ASCII characters. A retry with the same key and body answers the grant the ' +
      'first request made (201 again); the same key with another body is a 409 `idempotency_key_reused`.',
    // parseIdempotencyKey's rule.
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
  })
  @ApiAnswers(
    201,
    CreditGrant,
    'Created (or, for a repeated Idempotency-Key, the grant the first request made).',
  )
  @ApiFails({
    400: [
      ...BODY_PAYER,
      'amount_invalid',
      'expires_at_invalid',
      'unknown_payment_method',
      'payment_method_required',
      'idempotency_key_invalid',
    ],
    409: ['billing_mode_conflict', 'idempotency_key_reused'],
  })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreateCreditGrantDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.grants.create(merchantId, body, parseIdempotencyKey(idempotencyKey));
  }

  /** A payer's grants (newest first) with what each has left, and the balance per currency. */
  @Needs('read')
  @Get()
  @ApiAnswers(200, CreditGrantList)
  @ApiFails({ 400: QUERY_PAYER, 404: ['resource_missing'] })
  list(@MerchantId() merchantId: string, @Query() query: ListCreditGrantsQueryDto) {
    return this.grants.list(merchantId, query);
  }

  /** Every change to a payer's credits, newest first: grants, draws (with the rollup or invoice that drew), expiries, voids. */
  @Needs('read')
  @Get('ledger')
  @ApiAnswers(200, listOf(CreditLedgerEntry))
  @ApiFails({ 400: QUERY_PAYER, 404: ['resource_missing'] })
  ledger(@MerchantId() merchantId: string, @Query() query: ListCreditLedgerQueryDto) {
    return this.grants.ledger(merchantId, query);
  }

  /** A payer's credit settings and balance in each currency (or in `currency`); never paged. */
  @Needs('read')
  @Get('settings')
  @ApiAnswers(200, listOf(CreditSettings))
  @ApiFails({ 400: QUERY_PAYER, 404: ['resource_missing'] })
  settings(@MerchantId() merchantId: string, @Query() query: CreditPayerQueryDto) {
    return this.monitor.settings(merchantId, query);
  }

  /** The threshold notice and the auto top-up of a payer's credits in a currency. */
  @Needs('write')
  @Post('settings')
  @HttpCode(200)
  @ApiAnswers(200, CreditSettings)
  @ApiFails({
    400: [...BODY_PAYER, 'threshold_invalid', 'amount_invalid', 'payment_method_required'],
    409: ['billing_mode_conflict'],
  })
  updateSettings(@MerchantId() merchantId: string, @Body() body: UpdateCreditSettingsDto) {
    return this.monitor.updateSettings(merchantId, body);
  }

  /** A grant by id. */
  @Needs('read')
  @Get(':id')
  @ApiAnswers(200, CreditGrant)
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.grants.get(merchantId, id);
  }

  /** What the grant has left leaves the balance; a grant being bought has its invoice voided. */
  @Needs('write')
  @Post(':id/void')
  @HttpCode(200)
  @ApiAnswers(200, CreditGrant)
  @ApiFails({ 409: ['credit_grant_not_voidable'] })
  void(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.grants.void(merchantId, id);
  }
}

@ApiTags('usage reports')
@ApiBearerAuth()
@Controller('v1/billing/report')
export class CreditReportsController {
  constructor(private readonly monitor: CreditMonitorService) {}

  /** Granted, consumed, remaining, percent used, the threshold and whether it is crossed, projected depletion. */
  @Needs('read')
  @Get('threshold_progress')
  @ApiAnswers(200, CreditThresholdProgress)
  @ApiFails({ 400: [...QUERY_PAYER, 'currency_required'], 404: ['resource_missing'] })
  thresholdProgress(@MerchantId() merchantId: string, @Query() query: CreditPayerQueryDto) {
    return this.monitor.thresholdProgress(merchantId, query);
  }
}
