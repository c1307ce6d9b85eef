import { Injectable } from '@nestjs/common';
import { toListResponse, toPageRequest } from '../common/pagination/pagination.js';
import type { ListEventsQueryDto } from './dto/event.dto.js';
import { EventsRepository } from './events.repository.js';
import { presentEvent } from './events.presenter.js';

const flag = (text: 'true' | 'false' | undefined) => (text === undefined ? undefined : text === 'true');

const MINUTE_MS = 60_000;

/** A merchant's ingestion over the last `minutes` whole minutes (the last one is the current minute so far). */
export interface IngestionRate {
  /** One bucket per minute, oldest first, zero-filled. */
  perMinute: { start: Date; events: number }[];
  /** Events received in the 60 seconds before now. */
  lastMinute: number;
  /** Events received in the buckets' window. */
  total: number;
}

/** Listing events: one item per event, as its current version (an event and its history: CorrectionsService.get). */
@Injectable()
export class EventsService {
  constructor(private readonly repository: EventsRepository) {}

  async list(merchantId: string, query: ListEventsQueryDto) {
    const page = toPageRequest(query, 'event');
    const rows = await this.repository.list(merchantId, page, {
      customerId: query.customer,
      accountId: query.account,
      eventName: query.event_name,
      status: query.status,
      reference: query.reference,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      voided: flag(query.voided),
      amended: flag(query.amended),
    });
    return toListResponse(rows, page, presentEvent);
  }

  /** Events logged (by receipt time) per minute, for the `minutes` whole UTC minutes up to now. */
  async ingestionRate(merchantId: string, now: Date, minutes: number): Promise<IngestionRate> {
    const currentMinute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
    const from = new Date(currentMinute - (minutes - 1) * MINUTE_MS);
    const counted = await this.repository.receivedPerMinute(
      merchantId,
      from,
      new Date(now.getTime() - MINUTE_MS),
    );
    const byStart = new Map(counted.buckets.map((bucket) => [bucket.start.getTime(), bucket.events]));
    const perMinute = Array.from({ length: minutes }, (_, i) => {
      const start = from.getTime() + i * MINUTE_MS;
      return { start: new Date(start), events: byStart.get(start) ?? 0 };
    });
    return {
      perMinute,
      lastMinute: counted.recent,
      total: perMinute.reduce((sum, bucket) => sum + bucket.events, 0),
    };
  }
}
