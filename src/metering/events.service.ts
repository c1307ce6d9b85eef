import { Injectable } from '@nestjs/common';
import { toListResponse, toPageRequest } from '../common/pagination/pagination.js';
import type { ListEventsQueryDto } from './dto/event.dto.js';
import { EventsRepository } from './events.repository.js';
import { presentEvent } from './events.presenter.js';

const flag = (text: 'true' | 'false' | undefined) => (text === undefined ? undefined : text === 'true');

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
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      voided: flag(query.voided),
      amended: flag(query.amended),
    });
    return toListResponse(rows, page, presentEvent);
  }
}
