import { Injectable } from '@nestjs/common';
import type { Problem } from '../common/errors/problems.js';
import { validationErrorFromProblems } from '../common/errors/problems.js';
import { newId } from '../common/ids/ids.js';
import { PayersService } from '../payers/payers.service.js';
import {
  acceptEvent,
  type AcceptedEvent,
  checkEventShape,
  type Checked,
  type EventWarning,
} from './domain/event-input.js';
import { payloadHash } from './domain/payload-hash.js';
import type { BillingMetricEventBatchResult, LoggedBillingMetricEvent } from './dto/event-resource.dto.js';
import { EventWriter } from './event-writer.js';
import { firstVersionView, type EventRow } from './events.repository.js';
import { presentEvent } from './events.presenter.js';
import { MetricsService } from './metrics.service.js';
import { eventsDuplicated, eventsIngested, eventsRejected } from '../observability/meters.js';

export const MAX_BATCH_EVENTS = 1000;

/** The answer to logging one event: the event, `duplicate`, and on a replay `payload_mismatch`. */
export type LoggedEvent = LoggedBillingMetricEvent;

/** What became of one event of a batch: logged (created / duplicate) or rejected with its first problem. */
export type BatchItem = BillingMetricEventBatchResult['data'][number];

/**
 * The row an accepted event is stored as (version 1 when logged; a correction stores its new
 * version's content the same way). A left-out timestamp is receipt time, `now`.
 */
export function eventRowOf(merchantId: string, id: string, event: AcceptedEvent, now: Date): EventRow {
  const { shape } = event;
  return {
    merchantId,
    id,
    reference: shape.reference,
    metricId: event.metricId,
    eventName: shape.eventName,
    customerId: shape.payer.kind === 'customer' ? shape.payer.id : null,
    accountId: shape.payer.kind === 'account' ? shape.payer.id : null,
    value: event.value,
    uniqueValue: event.uniqueValue,
    timestamp: shape.timestamp ?? now,
    startTime: shape.startTime,
    endTime: shape.endTime,
    markupPercentage: event.markupPercentage,
    metadata: shape.metadata,
    status: 'logged',
    payloadHash: payloadHash(event),
    receivedAt: now,
  };
}

/** The write path: validate against cached metrics and payers, then one group-committed insert. */
@Injectable()
export class IngestionService {
  constructor(
    private readonly metrics: MetricsService,
    private readonly payers: PayersService,
    private readonly writer: EventWriter,
  ) {}

  /** Logs one event; answers once it is committed. Throws a ValidationError naming every problem. */
  async log(merchantId: string, body: unknown, now = new Date()): Promise<LoggedEvent> {
    const checked = await this.check(merchantId, body, now);
    if (!checked.ok) {
      eventsRejected.inc({ code: checked.problems[0]!.code });
      throw validationErrorFromProblems(checked.problems);
    }
    return this.store(checked.value.row, checked.warnings);
  }

  /** Logs up to 1,000 events, each validated and deduplicated on its own; answers per event, in order. */
  async logBatch(merchantId: string, events: unknown[], now = new Date()): Promise<BatchItem[]> {
    return Promise.all(
      events.map(async (body, index): Promise<BatchItem> => {
        const checked = await this.check(merchantId, body, now);
        if (!checked.ok) {
          eventsRejected.inc({ code: checked.problems[0]!.code });
          return { index, status: 'rejected', error: checked.problems[0] as Problem };
        }
        const logged = await this.store(checked.value.row, checked.warnings);
        return {
          index,
          status: logged.duplicate ? 'duplicate' : 'created',
          id: logged.id,
          ...(logged.payload_mismatch !== undefined && { payload_mismatch: logged.payload_mismatch }),
          ...(logged.warnings && { warnings: logged.warnings }),
        };
      }),
    );
  }

  private async store(row: EventRow, warnings: EventWarning[]): Promise<LoggedEvent> {
    const outcome = await this.writer.write(row);
    (outcome.stored ? eventsIngested : eventsDuplicated).inc();
    const extra = warnings.length > 0 ? { warnings } : {};
    if (outcome.stored) return { ...presentEvent(firstVersionView(outcome.row)), duplicate: false, ...extra };
    // A replay answers the event as it stands now (corrections included); whether the payload
    // differs is judged against what the reference first carried.
    return {
      ...presentEvent(outcome.replay.view),
      duplicate: true,
      payload_mismatch: !outcome.replay.firstPayloadHash.equals(row.payloadHash),
      ...extra,
    };
  }

  private async check(merchantId: string, body: unknown, now: Date): Promise<Checked<{ row: EventRow }>> {
    const shape = checkEventShape(body, now);
    if (!shape.ok) return shape;
    const { payer, eventName } = shape.value;
    const [metric, payerExists] = await Promise.all([
      this.metrics.activeMetric(merchantId, eventName),
      this.payers.exists(merchantId, payer.kind, payer.id),
    ]);
    const accepted = acceptEvent(shape.value, metric, payerExists);
    if (!accepted.ok) return accepted;
    return {
      ok: true,
      warnings: accepted.warnings,
      value: { row: eventRowOf(merchantId, newId('event', now.getTime()), accepted.value, now) },
    };
  }
}
