import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, ApiFails } from '../common/http/openapi/api-contract.js';
import { MerchantId, Needs } from '../identity/auth.decorators.js';
import { EventReportQueryDto, ReportQueryDto } from './dto/report-query.dto.js';
import { MetricUsageReport, UsageEventsReport, UsageReport } from './dto/usage-report-resource.dto.js';
import { ReportsService } from './reports.service.js';

/** Who (customer_id / account_id, exactly one) and when (end after start, at most 400 days). */
const REPORT_QUERY = ['payer_required', 'payer_conflict', 'invalid_window', 'window_too_long'];

/** Usage reports. Read-only; windows are [start, end), partial hours at the edges read from the raw events. */
@ApiTags('usage reports')
@ApiBearerAuth()
@Controller('v1/billing/report')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Total usage across all metrics: each metric's quantity and amount, and the total per currency. */
  @Needs('read')
  @Get('customer')
  @ApiAnswers(200, UsageReport)
  @ApiFails({ 400: REPORT_QUERY, 404: ['resource_missing'] })
  customer(@MerchantId() merchantId: string, @Query() query: ReportQueryDto) {
    return this.reports.customerReport(merchantId, query);
  }

  /**
   * One metric by event name, for one payer or for all (`payers=all`, each payer priced on its own
   * usage, then added up); `window_size` adds a time series, `group_by` a breakdown by a metadata key.
   */
  @Needs('read')
  @Get('event/:event_name')
  @ApiAnswers(200, MetricUsageReport)
  @ApiFails({ 400: [...REPORT_QUERY, 'too_many_payers'], 404: ['resource_missing'] })
  event(
    @MerchantId() merchantId: string,
    @Param('event_name') eventName: string,
    @Query() query: EventReportQueryDto,
  ) {
    return this.reports.eventReport(merchantId, eventName, query);
  }

  /** The itemized breakdown: one row per metric with usage. */
  @Needs('read')
  @Get('events')
  @ApiAnswers(200, UsageEventsReport)
  @ApiFails({ 400: REPORT_QUERY, 404: ['resource_missing'] })
  events(@MerchantId() merchantId: string, @Query() query: ReportQueryDto) {
    return this.reports.eventsReport(merchantId, query);
  }
}
