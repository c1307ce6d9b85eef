import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { OutboxSweep } from '../../activities/outbox.activities.js';
import { TallyConfigService } from '../config/config.module.js';
import { startOnce } from '../temporal/start-once.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import { TallyCustomerId, TallyMerchantId, TallyStatus } from '../../workflows/search-attributes.js';
import type { WebhookDeliveryInput } from '../../workflows/webhook-delivery.workflow.js';
import { type UnstartedDelivery, WebhookEventsRepository } from './webhook-events.repository.js';

/** Deliveries recorded this long ago and still not started are the sweeper's to start. */
const SWEEP_GRACE_MS = 5000;
const SWEEP_BATCH = 500;

export function deliveryWorkflowId(eventId: string, endpointId: string): string {
  return `webhook/${eventId}/${endpointId}`;
}

/**
 * Starts delivery workflows for recorded events: right after the recording transaction commits
 * (`dispatch`), and from the sweeper for any left unstarted by a crash in between (`sweep`).
 * Starting is idempotent: a running or finished workflow with the id is never started again.
 */
@Injectable()
export class WebhookDispatcher implements OutboxSweep {
  private readonly logger = new Logger(WebhookDispatcher.name);

  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly config: TallyConfigService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** Starts the deliveries of just-committed events. Never throws: the sweeper covers failures. */
  async dispatch(events: ReadonlyArray<{ merchantId: string; id: string }>): Promise<void> {
    try {
      const byMerchant = new Map<string, string[]>();
      for (const event of events) {
        const ids = byMerchant.get(event.merchantId) ?? [];
        byMerchant.set(event.merchantId, ids);
        ids.push(event.id);
      }
      for (const [merchantId, eventIds] of byMerchant) {
        await this.startAll(await this.events.unstartedDeliveriesOf(merchantId, eventIds));
      }
    } catch (error) {
      this.logger.warn(`webhook dispatch deferred to the sweeper: ${(error as Error).message}`);
    }
  }

  /** Starts deliveries left unstarted; `full` says a whole batch was found (more may wait). */
  async sweep(): Promise<{ started: number; full: boolean }> {
    const deliveries = await this.events.staleUnstartedDeliveries(SWEEP_GRACE_MS, SWEEP_BATCH);
    await this.startAll(deliveries);
    return { started: deliveries.length, full: deliveries.length === SWEEP_BATCH };
  }

  /** Sends the event to the endpoint again now: signals a delivery still waiting, or starts a new one. */
  async redeliver(
    merchantId: string,
    eventId: string,
    endpointId: string,
    payerId: string | null,
  ): Promise<void> {
    await this.temporal.workflow.signalWithStart('webhookDelivery', {
      ...this.startOptions({ merchantId, eventId, endpointId, payerId }),
      signal: 'attemptNow',
      signalArgs: [],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
  }

  /** Starts each delivery; one failing start does not hold up the rest (the first failure is rethrown). */
  private async startAll(deliveries: UnstartedDelivery[]): Promise<void> {
    const started: UnstartedDelivery[] = [];
    let failure: unknown;
    for (const delivery of deliveries) {
      try {
        // A finished delivery is not started again by a late dispatch or sweep; redeliver does that.
        await startOnce(this.temporal, 'webhookDelivery', this.startOptions(delivery));
        started.push(delivery);
      } catch (error) {
        failure ??= error;
      }
    }
    await this.events.markStarted(started);
    if (failure !== undefined) throw failure;
  }

  private startOptions(
    delivery: Pick<UnstartedDelivery, 'merchantId' | 'eventId' | 'endpointId' | 'payerId'>,
  ) {
    const input: WebhookDeliveryInput = {
      merchantId: delivery.merchantId,
      eventId: delivery.eventId,
      endpointId: delivery.endpointId,
      retryScheduleMs: this.config.values.WEBHOOK_RETRY_SCHEDULE,
    };
    return {
      workflowId: deliveryWorkflowId(delivery.eventId, delivery.endpointId),
      taskQueue: this.config.values.TEMPORAL_TASK_QUEUE,
      args: [input] as [WebhookDeliveryInput],
      typedSearchAttributes: [
        { key: TallyMerchantId, value: delivery.merchantId },
        { key: TallyStatus, value: 'delivering' },
        ...(delivery.payerId ? [{ key: TallyCustomerId, value: delivery.payerId }] : []),
      ],
      staticSummary: `Deliver webhook event ${delivery.eventId} to endpoint ${delivery.endpointId}`,
    };
  }
}
