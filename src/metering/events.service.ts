import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors/tally-error.js';
import { isIdOf } from '../common/ids/ids.js';
import { toListResponse, toPageRequest } from '../common/pagination/pagination.js';
import type { ListEventsQueryDto } from './dto/event.dto.js';
import { EventsRepository } from './events.repository.js';
import { presentEvent } from './events.presenter.js';

/** Reading logged events back. */
@Injectable()
export class EventsService {
  constructor(private readonly repository: EventsRepository) {}

  async get(merchantId: string, id: string) {
    const row = isIdOf('event', id) ? await this.repository.findById(merchantId, id) : null;
    if (!row) throw NotFoundError.resource('billing metric event', id);
    return presentEvent(row);
  }

  async list(merchantId: string, query: ListEventsQueryDto) {
    const page = toPageRequest(query, 'event');
    const rows = await this.repository.list(merchantId, page, {
      customerId: query.customer,
      accountId: query.account,
      eventName: query.event_name,
      status: query.status,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
    });
    return toListResponse(rows, page, presentEvent);
  }
}
