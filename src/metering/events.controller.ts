import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ValidationError } from '../common/errors/tally-error.js';
import { ApiAnswers, ApiFails, ApiIdempotent, listOf } from '../common/http/openapi/api-contract.js';
import type { ListResponse } from '../common/pagination/pagination.js';
import { parseIdempotencyKey } from '../common/idempotency/idempotency-key.js';
import { ApiKeyId, IngestionRoute, MerchantId, Needs } from '../identity/auth.decorators.js';
import { CorrectionsService } from './corrections.service.js';
import {
  BillingMetricEvent,
  BillingMetricEventBatchResult,
  BillingMetricEventVoidBatchResult,
  BillingMetricEventWithVersions,
  LoggedBillingMetricEvent,
  EVENT_PROBLEM_CODES,
} from './dto/event-resource.dto.js';
import {
  AmendEventDoc,
  ListEventsQueryDto,
  LogEventBatchDoc,
  LogEventDoc,
  VoidBatchDoc,
  VoidEventByReferenceDto,
  VoidEventDto,
} from './dto/event.dto.js';
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

/** The Idempotency-Key of a correction, named as @Headers reads it so the two make one parameter. */
const ApiCorrectionIdempotencyKey = () =>
  ApiHeader({
    name: 'idempotency-key',
    required: false,
    description:
      '1 to 255 visible ASCII characters, kept with the version the correction makes (per event). A retry ' +
      'with the same key and body answers the event as of that version; the same key with another body is a ' +
      '409 `idempotency_key_reused`.',
    // parseIdempotencyKey's rule.
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
  });

/** What an amendment can be refused for, besides the codes every body can (the event is checked as logging checks it). */
const AMEND_PROBLEM_CODES = [
  'payer_conflict',
  'timestamp_in_future',
  'invalid_interval',
  'unknown_customer',
  'unknown_account',
  'unknown_event_name',
  'idempotency_key_invalid',
];

/**
 * Usage events. Logging is idempotent by `reference`: a replay answers 200 with the event (its
 * current version) and `duplicate: true`, never a second row. Corrections (void, amend) are
 * allowed to any key that may log events.
 */
@ApiTags('billing metric events')
@ApiBearerAuth()
@Controller('v1/billing/metering_events')
export class EventsController {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly events: EventsService,
    private readonly corrections: CorrectionsService,
  ) {}

  /** Logs one event: 201 when new, 200 with `duplicate: true` for a known reference. Answers after commit. */
  @Post()
  @IngestionRoute()
  @ApiIdempotent()
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
  @ApiIdempotent()
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

  /**
   * Voids up to 1,000 events, by id or reference, each on its own: a refused item is an item of
   * the answer and never stops the others.
   */
  @Post('void/batch')
  @Needs('ingest')
  @HttpCode(200)
  @ApiBody({ type: VoidBatchDoc })
  @ApiAnswers(200, BillingMetricEventVoidBatchResult, 'One item per void, in order; refused voids included.')
  voidBatch(
    @MerchantId() merchantId: string,
    @ApiKeyId() apiKeyId: string | null,
    @Body() body: unknown,
  ): Promise<BillingMetricEventVoidBatchResult> {
    return this.corrections.voidBatch(merchantId, body, apiKeyId);
  }

  /** Voids the event logged with `reference`; as the void by id. */
  @Post('void')
  @Needs('ingest')
  @HttpCode(200)
  @ApiCorrectionIdempotencyKey()
  @ApiAnswers(200, BillingMetricEventWithVersions, 'Voided now, or voided before (unchanged).')
  @ApiFails({ 400: ['idempotency_key_invalid'], 404: ['resource_missing'], 409: ['idempotency_key_reused'] })
  async voidByReference(
    @MerchantId() merchantId: string,
    @ApiKeyId() apiKeyId: string | null,
    @Body() body: VoidEventByReferenceDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<BillingMetricEventWithVersions> {
    const key = parseIdempotencyKey(idempotencyKey);
    const outcome = await this.corrections.void(
      merchantId,
      { reference: body.reference },
      body.reason ?? null,
      {
        apiKeyId,
        idempotencyKey: key,
      },
    );
    return outcome.event;
  }

  /**
   * Voids the event: its usage leaves the rollups, or, once invoiced, is credited on the payer's
   * next invoice. 200 with the event (`voided: true`) whether voided now or before.
   */
  @Post(':id/void')
  @Needs('ingest')
  @HttpCode(200)
  @ApiCorrectionIdempotencyKey()
  @ApiAnswers(200, BillingMetricEventWithVersions, 'Voided now, or voided before (unchanged).')
  @ApiFails({ 400: ['idempotency_key_invalid'], 409: ['idempotency_key_reused'] })
  async void(
    @MerchantId() merchantId: string,
    @ApiKeyId() apiKeyId: string | null,
    @Param('id') id: string,
    @Body() body: VoidEventDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<BillingMetricEventWithVersions> {
    const key = parseIdempotencyKey(idempotencyKey);
    const outcome = await this.corrections.void(merchantId, { id }, body.reason ?? null, {
      apiKeyId,
      idempotencyKey: key,
    });
    return outcome.event;
  }

  /**
   * Amends the event: the fields given, over its current version, make a new version (checked as
   * logging checks an event). A patch that changes nothing answers the event as it is.
   */
  @Post(':id/amend')
  @Needs('ingest')
  @HttpCode(200)
  @ApiCorrectionIdempotencyKey()
  @ApiBody({ type: AmendEventDoc })
  @ApiAnswers(
    200,
    BillingMetricEventWithVersions,
    'The event as amended (or unchanged, when nothing differed).',
  )
  @ApiFails({
    400: AMEND_PROBLEM_CODES,
    409: ['event_voided', 'version_conflict', 'idempotency_key_reused'],
  })
  amend(
    @MerchantId() merchantId: string,
    @ApiKeyId() apiKeyId: string | null,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<BillingMetricEventWithVersions> {
    const key = parseIdempotencyKey(idempotencyKey);
    return this.corrections.amend(merchantId, id, body, { apiKeyId, idempotencyKey: key });
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

  /** The event as it stands, with every version: who made it, when, why and what changed. */
  @Needs('read')
  @Get(':id')
  @ApiAnswers(200, BillingMetricEventWithVersions)
  get(@MerchantId() merchantId: string, @Param('id') id: string): Promise<BillingMetricEventWithVersions> {
    return this.corrections.get(merchantId, id);
  }
}
