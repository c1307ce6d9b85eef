import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WebhookEventType } from './domain/event-types.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEventsRepository } from './webhook-events.repository.js';

export interface RecordedWebhookEvent {
  merchantId: string;
  id: string;
}

/**
 * How other contexts send webhooks. Persist first, then act:
 *
 *     const events = await db.transaction(async (tx) => {
 *       … the state change …
 *       return [await emitter.record(tx, { merchantId, type, object, payerId })];
 *     });
 *     await emitter.dispatch(events);
 *
 * The event exists exactly when the change committed; `dispatch` starts its deliveries at once,
 * and the sweeper starts them if the process died before it could.
 */
@Injectable()
export class WebhookEmitter {
  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  record(
    manager: EntityManager,
    event: {
      merchantId: string;
      type: WebhookEventType;
      object: Record<string, unknown>;
      payerId?: string | null;
    },
  ): Promise<RecordedWebhookEvent> {
    return this.events.record(manager, { ...event, payerId: event.payerId ?? null });
  }

  dispatch(events: readonly RecordedWebhookEvent[]): Promise<void> {
    return this.dispatcher.dispatch(events);
  }
}
