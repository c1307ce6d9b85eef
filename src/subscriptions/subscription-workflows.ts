import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { ConflictError } from '../common/errors/tally-error.js';
import { TallyConfigService } from '../config/config.module.js';
import { reachTemporal, waitAtMost, withBackgroundDeadline } from '../temporal/handoff.js';
import { startOnce } from '../temporal/start-once.js';
import { startSoonFromOutbox, type WorkflowOutbox } from '../temporal/workflow-outbox.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import { PipelineEventBus } from '../pipeline/pipeline-events.js';
import {
  billNowUpdate,
  cancelNowSignal,
  planChangedSignal,
  type SubscriptionCycleInput,
  type SubscriptionCycleState,
  subscriptionStateQuery,
  subscriptionWorkflowId,
  subscriptionWorkflowStart,
  usageUpdatedSignal,
} from '../../workflows/contracts/subscription.contract.js';
import { subscriptionCycle } from '../../workflows/subscription.workflow.js';
import type { SubscriptionEntity } from './subscription.entity.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

type SubscriptionToStart = Pick<SubscriptionEntity, 'merchantId' | 'id' | 'customerId'>;

/** Starts subscription workflows (after the create commits, or from the sweeper) and talks to them. */
@Injectable()
export class SubscriptionWorkflows implements WorkflowOutbox<SubscriptionToStart>, OnModuleInit {
  private readonly logger = new Logger(SubscriptionWorkflows.name);

  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly config: TallyConfigService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly events: PipelineEventBus,
  ) {}

  /**
   * Folded usage moves allotments: after any fold commits, the workflows of the payers' active
   * subscriptions measure it (not for a period's own fold: that workflow asked for it).
   */
  onModuleInit(): void {
    this.events.afterCommit('usage.folded', async ({ payers, source }) => {
      if (source.type !== 'subscription') await this.usageFolded(payers);
    });
  }

  /** Starts the subscription's workflow after its create commits; never throws (the sweeper retries). */
  startSoon(subscription: SubscriptionToStart): Promise<void> {
    return startSoonFromOutbox(this, [subscription], this.config.values.TEMPORAL_HANDOFF_WAIT_MS);
  }

  async unstarted(graceMs: number, limit: number): Promise<SubscriptionToStart[]> {
    const rows = await this.subscriptions.unstarted(graceMs, limit);
    return rows.map((row) => ({ merchantId: row.merchant_id, id: row.id, customerId: row.customer_id }));
  }

  markStarted(subscriptions: SubscriptionToStart[]): Promise<void> {
    return this.subscriptions.markWorkflowStarted(subscriptions);
  }

  /**
   * Tells the workflow to close the period now (best effort: the cancel is committed first). A
   * workflow not started yet ends as it opens its period; one that misses the signal closes the
   * period at its end, billing only the usage before `canceled_at`.
   */
  async cancelNow(subscription: SubscriptionEntity): Promise<void> {
    await this.signalSoon(subscription, cancelNowSignal, 'cancel');
  }

  /** Tells the workflow a plan change was recorded (best effort: the next period reads it anyway). */
  async planChanged(subscription: SubscriptionEntity): Promise<void> {
    await this.signalSoon(subscription, planChangedSignal, 'plan change');
  }

  /** A best-effort signal: waits at most the handoff wait, logs a loss (not a missing workflow). */
  private async signalSoon(
    subscription: SubscriptionEntity,
    signal: SignalDefinition<[]>,
    what: string,
  ): Promise<void> {
    const sent = withBackgroundDeadline(this.temporal, () => this.handle(subscription).signal(signal)).catch(
      (error: Error) => {
        if (!(error instanceof WorkflowNotFoundError)) {
          this.logger.warn(`${what} signal to ${subscription.id} lost: ${error.message}`);
        }
      },
    );
    await waitAtMost(sent, this.config.values.TEMPORAL_HANDOFF_WAIT_MS);
  }

  /** The overage invoice the workflow opened now (or null); 409 before its first period opened. */
  async billNow(subscription: SubscriptionEntity): Promise<string | null> {
    try {
      // Reached first, so that a Temporal that is down answers 503 at once, not after the client's retries.
      await reachTemporal(this.temporal, this.config.values.TEMPORAL_REACH_TIMEOUT_MS, () =>
        this.handle(subscription).describe(),
      );
      return await this.handle(subscription).executeUpdate(billNowUpdate);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError || isBeforeFirstPeriod(error))) throw error;
      throw new ConflictError(
        'subscription_not_started',
        `Subscription ${subscription.id} has not opened its first period yet; try again shortly.`,
      );
    }
  }

  /** The workflow's own account of the current period, or null when it cannot answer now. */
  async state(subscription: SubscriptionEntity): Promise<SubscriptionCycleState | null> {
    return reachTemporal(this.temporal, this.config.values.TEMPORAL_REACH_TIMEOUT_MS, () =>
      this.handle(subscription).query(subscriptionStateQuery),
    ).catch(() => null);
  }

  /** Tells the workflows of these customers' active subscriptions that the rollup folded their usage. */
  async usageFolded(payers: Array<{ merchantId: string; payerId: string }>): Promise<void> {
    for (const subscription of await this.subscriptions.activeFor(payers)) {
      await withBackgroundDeadline(this.temporal, () =>
        this.temporal.workflow.getHandle(subscriptionWorkflowId(subscription.id)).signal(usageUpdatedSignal),
      ).catch((error: Error) =>
        this.logger.warn(`usage signal to ${subscription.id} lost: ${error.message}`),
      );
    }
  }

  private handle(subscription: Pick<SubscriptionEntity, 'id'>) {
    return this.temporal.workflow.getHandle(subscriptionWorkflowId(subscription.id));
  }

  async start(subscription: SubscriptionToStart): Promise<void> {
    const input: SubscriptionCycleInput = {
      merchantId: subscription.merchantId,
      subscriptionId: subscription.id,
      periodIndex: 0,
      usageSnapshotMs: this.config.values.SUBSCRIPTION_USAGE_SNAPSHOT_INTERVAL,
      retryIntervalMs: this.config.values.CHARGE_RETRY_INTERVAL,
      maxRetries: this.config.values.CHARGE_MAX_RETRIES,
    };
    await startOnce(this.temporal, subscriptionCycle, {
      ...subscriptionWorkflowStart({
        merchantId: subscription.merchantId,
        subscriptionId: subscription.id,
        customerId: subscription.customerId,
      }),
      taskQueue: this.config.values.TEMPORAL_TASK_QUEUE,
      args: [input],
    });
  }
}

/** The workflow takes "bill now" once its period is open; before that it rejects the update unhandled. */
function isBeforeFirstPeriod(error: unknown): boolean {
  return (
    error instanceof WorkflowUpdateFailedError &&
    /No registered handler for update/.test((error.cause as Error | undefined)?.message ?? '')
  );
}
