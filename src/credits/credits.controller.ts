import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { parseIdempotencyKey } from '../common/idempotency/idempotency-key.js';
import { MerchantId } from '../identity/auth.decorators.js';
import { CreditGrantsService } from './credit-grants.service.js';
import { CreditMonitorService } from './credit-monitor.service.js';
import {
  CreateCreditGrantDto,
  CreditPayerQueryDto,
  ListCreditGrantsQueryDto,
  ListCreditLedgerQueryDto,
  UpdateCreditSettingsDto,
} from './dto/credit.dto.js';

@ApiTags('credits')
@ApiBearerAuth()
@Controller('v1/billing/credits')
export class CreditsController {
  constructor(
    private readonly grants: CreditGrantsService,
    private readonly monitor: CreditMonitorService,
  ) {}

  /** Grants prepaid credits: free (drawable now) or paid (invoiced and charged; drawable once paid). */
  @Post()
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  create(
    @MerchantId() merchantId: string,
    @Body() body: CreateCreditGrantDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.grants.create(merchantId, body, parseIdempotencyKey(idempotencyKey));
  }

  /** A payer's grants (newest first) with what each has left, and the balance per currency. */
  @Get()
  list(@MerchantId() merchantId: string, @Query() query: ListCreditGrantsQueryDto) {
    return this.grants.list(merchantId, query);
  }

  /** Every change to a payer's credits, newest first: grants, draws (with the rollup or invoice that drew), expiries, voids. */
  @Get('ledger')
  ledger(@MerchantId() merchantId: string, @Query() query: ListCreditLedgerQueryDto) {
    return this.grants.ledger(merchantId, query);
  }

  @Get('settings')
  settings(@MerchantId() merchantId: string, @Query() query: CreditPayerQueryDto) {
    return this.monitor.settings(merchantId, query);
  }

  /** The threshold notice and the auto top-up of a payer's credits in a currency. */
  @Post('settings')
  @HttpCode(200)
  updateSettings(@MerchantId() merchantId: string, @Body() body: UpdateCreditSettingsDto) {
    return this.monitor.updateSettings(merchantId, body);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string) {
    return this.grants.get(merchantId, id);
  }

  /** What the grant has left leaves the balance; a grant being bought has its invoice voided. */
  @Post(':id/void')
  @HttpCode(200)
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
  @Get('threshold_progress')
  thresholdProgress(@MerchantId() merchantId: string, @Query() query: CreditPayerQueryDto) {
    return this.monitor.thresholdProgress(merchantId, query);
  }
}
