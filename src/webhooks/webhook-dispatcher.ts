import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import pLimit from 'p-limit';
import { TallyConfigService } from '../config/config.module.js';
import { waitAtMost, withBackgroundDeadline } from '../temporal/handoff.js';
import { startOnce } from '../temporal/start-once.js';
import { startFromOutbox, type WorkflowOutbox } from '../temporal/workflow-outbox.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import {
  attemptNowSignal,
  deliveryWorkflowStart,
  type WebhookDeliveryInput,
} from '../../workflows/contracts/webhook-delivery.contract.js';
import { webhookDelivery } from '../../workflows/webhook-delivery.workflow.js';
import { type UnstartedDelivery, WebhookEventsRepository } from './webhook-events.repository.js';

/**
 * Starts delivery workflows for recorded events: right after the recording transaction commits
 * (`dispatch`), and from the sweeper for any left unstarted by a crash in between (`sweep`).
 * Starting is idempotent: a running or finished workflow with the id is never started again.
 */
/** Redeliveries of one event (to each of its endpoints) in flight at once. */
const REDELIVERIES_IN_FLIGHT = 8;

@Injectable()
export class WebhookDispatcher implements WorkflowOutbox<UnstartedDelivery> {
  private readonly logger = new Logger(WebhookDispatcher.name);

  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly config: TallyConfigService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /**
   * Starts the deliveries of just-committed events, waiting at most the handoff wait. Never
   * throws: the sweeper covers failures.
   */
  async dispatch(events: ReadonlyArray<{ merchantId: string; id: string }>): Promise<void> {
    await waitAtMost(this.dispatchNow(events), this.config.values.TEMPORAL_HANDOFF_WAIT_MS);
  }

  private async dispatchNow(events: ReadonlyArray<{ merchantId: string; id: string }>): Promise<void> {
    try {
      const byMerchant = new Map<string, string[]>();
      for (const event of events) {
        const ids = byMerchant.get(event.merchantId) ?? [];
        byMerchant.set(event.merchantId, ids);
        ids.push(event.id);
      }
      for (const [merchantId, eventIds] of byMerchant) {
        await startFromOutbox(this, await this.events.unstartedDeliveriesOf(merchantId, eventIds));
      }
    } catch (error) {
      this.logger.warn(`webhook dispatch deferred to the sweeper: ${(error as Error).message}`);
    }
  }

  unstarted(graceMs: number, limit: number): Promise<UnstartedDelivery[]> {
    return this.events.staleUnstartedDeliveries(graceMs, limit);
  }

  /**
   * A finished delivery is not started again by a late dispatch or sweep. One whose workflow has
   * finished but is still pending was put back by a redelivery that could not reach Temporal: sent now.
   */
  async start(delivery: UnstartedDelivery): Promise<void> {
    const { finishedBefore } = await startOnce(this.temporal, webhookDelivery, this.startOptions(delivery));
    if (finishedBefore && delivery.pending) {
      await this.redeliver(delivery.merchantId, delivery.eventId, delivery.endpointId, delivery.payerId);
    }
  }

  markStarted(deliveries: UnstartedDelivery[]): Promise<void> {
    return this.events.markStarted(deliveries);
  }

  /**
   * `redeliver` for each delivery (several at once), marking each started, waiting at most the
   * handoff wait; never throws (the sweeper sends what this could not).
   */
  async redeliverSoon(
    deliveries: Array<Pick<UnstartedDelivery, 'merchantId' | 'eventId' | 'endpointId' | 'payerId'>>,
  ): Promise<void> {
    const limit = pLimit(REDELIVERIES_IN_FLIGHT);
    const sent = Promise.all(
      deliveries.map((delivery) =>
        limit(async () => {
          await this.redeliver(delivery.merchantId, delivery.eventId, delivery.endpointId, delivery.payerId);
          await this.events.markStarted([delivery]);
        }).catch((error: Error) => {
          this.logger.warn(`redelivery of ${delivery.eventId} deferred to the sweeper: ${error.message}`);
        }),
      ),
    ).then(() => undefined);
    await waitAtMost(sent, this.config.values.TEMPORAL_HANDOFF_WAIT_MS);
  }

  /** Sends the event to the endpoint again now: signals a delivery still waiting, or starts a new one. */
  async redeliver(
    merchantId: string,
    eventId: string,
    endpointId: string,
    payerId: string | null,
  ): Promise<void> {
    await withBackgroundDeadline(this.temporal, () =>
      this.temporal.workflow.signalWithStart(webhookDelivery, {
        ...this.startOptions({ merchantId, eventId, endpointId, payerId }),
        signal: attemptNowSignal,
        signalArgs: [],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      }),
    );
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
      ...deliveryWorkflowStart(delivery),
      taskQueue: this.config.values.TEMPORAL_TASK_QUEUE,
      args: [input] as [WebhookDeliveryInput],
    };
  }
}
