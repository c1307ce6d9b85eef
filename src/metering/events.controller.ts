import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ValidationError } from '../common/errors/tally-error.js';
import { ApiAnswers, ApiFails, listOf } from '../common/http/openapi/api-contract.js';
import type { ListResponse } from '../common/pagination/pagination.js';
import { IngestionRoute, MerchantId, Needs } from '../identity/auth.decorators.js';
import {
  BillingMetricEvent,
  BillingMetricEventBatchResult,
  LoggedBillingMetricEvent,
  EVENT_PROBLEM_CODES,
} from './dto/event-resource.dto.js';
import { ListEventsQueryDto, LogEventBatchDoc, LogEventDoc } from './dto/event.dto.js';
import { EventsService } from './events.service.js';
import { IngestionService, MAX_BATCH_EVENTS } from './ingestion.service.js';

function batchEvents(body: unknown): unknown[] {
  const events = (body as { events?: unknown } | null)?.events;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(events)) {
    throw new ValidationError(
      'parameter_missing',
      'Send { "events": [ … ] } with 1 to 1,000 events.',
      'events',
    );
  }
  const unknown = Object.keys(body).find((key) => key !== 'events');
  if (unknown)
    throw new ValidationError('parameter_unknown', `${unknown} is not a known parameter.`, unknown);
  if (events.length === 0 || events.length > MAX_BATCH_EVENTS) {
    throw new ValidationError(
      'parameter_invalid',
      `events must hold 1 to ${MAX_BATCH_EVENTS} events (this one holds ${events.length}).`,
      'events',
    );
  }
  return events;
}

/**
 * Usage events. Logging is idempotent by `reference`: a replay answers 200 with the original
 * event and `duplicate: true`, never a second row.
 */
@ApiTags('billing metric events')
@ApiBearerAuth()
@Controller('v1/billing/metering_events')
export class EventsController {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly events: EventsService,
  ) {}

  /** Logs one event: 201 when new, 200 with `duplicate: true` for a known reference. Answers after commit. */
  @Post()
  @IngestionRoute()
  @ApiBody({ type: LogEventDoc })
  @ApiAnswers(201, LoggedBillingMetricEvent, 'Logged: a new reference (`duplicate: false`).')
  @ApiAnswers(200, LoggedBillingMetricEvent, 'A known reference: the original event, `duplicate: true`.')
  @ApiFails({ 400: EVENT_PROBLEM_CODES })
  async log(
    @MerchantId() merchantId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoggedBillingMetricEvent> {
    const event = await this.ingestion.log(merchantId, body);
    void reply.status(event.duplicate ? 200 : 201);
    return event;
  }

  /** Logs up to 1,000 events; each is validated and deduplicated on its own, and answered in order. */
  @Post('batch')
  @IngestionRoute()
  @HttpCode(200)
  @ApiBody({ type: LogEventBatchDoc })
  @ApiAnswers(200, BillingMetricEventBatchResult, 'One item per event, in order; refused events included.')
  async logBatch(
    @MerchantId() merchantId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BillingMetricEventBatchResult> {
    const data = await this.ingestion.logBatch(merchantId, batchEvents(body));
    void reply.status(200);
    const count = (status: string) => data.filter((item) => item.status === status).length;
    return {
      object: 'batch_result' as const,
      created: count('created'),
      duplicates: count('duplicate'),
      rejected: count('rejected'),
      data,
    };
  }

  @Needs('read')
  @Get()
  @ApiAnswers(200, listOf(BillingMetricEvent))
  list(
    @MerchantId() merchantId: string,
    @Query() query: ListEventsQueryDto,
  ): Promise<ListResponse<BillingMetricEvent>> {
    return this.events.list(merchantId, query);
  }

  @Needs('read')
  @Get(':id')
  @ApiAnswers(200, BillingMetricEvent)
  get(@MerchantId() merchantId: string, @Param('id') id: string): Promise<BillingMetricEvent> {
    return this.events.get(merchantId, id);
  }
}
