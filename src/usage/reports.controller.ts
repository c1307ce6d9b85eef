import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { MerchantId } from '../identity/auth.decorators.js';
import { EventReportQueryDto, ReportQueryDto } from './dto/report-query.dto.js';
import { ReportsService } from './reports.service.js';

/** Usage reports. Read-only; windows are [start, end) on whole UTC hours. */
@ApiTags('usage reports')
@ApiBearerAuth()
@Controller('v1/billing/report')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Total usage across all metrics: each metric's quantity and amount, and the total per currency. */
  @Get('customer')
  customer(@MerchantId() merchantId: string, @Query() query: ReportQueryDto) {
    return this.reports.customerReport(merchantId, query);
  }

  /** One metric by event name; `window_size` adds a time series, `group_by` a breakdown by a metadata key. */
  @Get('event/:event_name')
  event(
    @MerchantId() merchantId: string,
    @Param('event_name') eventName: string,
    @Query() query: EventReportQueryDto,
  ) {
    return this.reports.eventReport(merchantId, eventName, query);
  }

  /** The itemized breakdown: one row per metric with usage. */
  @Get('events')
  events(@MerchantId() merchantId: string, @Query() query: ReportQueryDto) {
    return this.reports.eventsReport(merchantId, query);
  }
}
