import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { OutboxSweep } from '../../activities/outbox.activities.js';
import { TallyConfigService } from '../config/config.module.js';
import { startOnce } from '../temporal/start-once.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import { TallyCustomerId, TallyMerchantId, TallyStatus } from '../../workflows/search-attributes.js';
import {
  billNowUpdate,
  cancelNowSignal,
  planChangedSignal,
  type SubscriptionCycleInput,
  type SubscriptionCycleState,
  subscriptionStateQuery,
  usageUpdatedSignal,
} from '../../workflows/subscription.workflow.js';
import type { SubscriptionEntity } from './subscription.entity.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

const SWEEP_GRACE_MS = 5000;
const SWEEP_BATCH = 200;

export function subscriptionWorkflowId(subscriptionId: string): string {
  return `subscription/${subscriptionId}`;
}

/** Starts subscription workflows (after the create commits, or from the sweeper) and talks to them. */
@Injectable()
export class SubscriptionWorkflows implements OutboxSweep {
  private readonly logger = new Logger(SubscriptionWorkflows.name);

  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly config: TallyConfigService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async startSoon(subscription: Pick<SubscriptionEntity, 'merchantId' | 'id' | 'customerId'>): Promise<void> {
    try {
      await this.start(subscription);
    } catch (error) {
      this.logger.warn(`subscription workflow start deferred to the sweeper: ${(error as Error).message}`);
    }
  }

  async sweep(): Promise<{ started: number; full: boolean }> {
    const rows = await this.subscriptions.unstarted(SWEEP_GRACE_MS, SWEEP_BATCH);
    for (const row of rows)
      await this.start({ merchantId: row.merchant_id, id: row.id, customerId: row.customer_id });
    return { started: rows.length, full: rows.length === SWEEP_BATCH };
  }

  async cancelNow(subscription: SubscriptionEntity): Promise<void> {
    await this.handle(subscription).signal(cancelNowSignal);
  }

  /** Tells the workflow a plan change was recorded (best effort: the next period reads it anyway). */
  async planChanged(subscription: SubscriptionEntity): Promise<void> {
    await this.handle(subscription)
      .signal(planChangedSignal)
      .catch((error: Error) =>
        this.logger.warn(`plan change signal to ${subscription.id} lost: ${error.message}`),
      );
  }

  async billNow(subscription: SubscriptionEntity): Promise<string | null> {
    return this.handle(subscription).executeUpdate(billNowUpdate);
  }

  /** The workflow's own account of the current period, or null when it cannot answer now. */
  async state(subscription: SubscriptionEntity): Promise<SubscriptionCycleState | null> {
    return this.handle(subscription)
      .query(subscriptionStateQuery)
      .catch(() => null);
  }

  /** Tells the workflows of these customers' active subscriptions that the rollup folded their usage. */
  async usageFolded(payers: Array<{ merchantId: string; payerId: string }>): Promise<void> {
    for (const subscription of await this.subscriptions.activeFor(payers)) {
      await this.temporal.workflow
        .getHandle(subscriptionWorkflowId(subscription.id))
        .signal(usageUpdatedSignal)
        .catch((error: Error) =>
          this.logger.warn(`usage signal to ${subscription.id} lost: ${error.message}`),
        );
    }
  }

  private handle(subscription: Pick<SubscriptionEntity, 'id'>) {
    return this.temporal.workflow.getHandle(subscriptionWorkflowId(subscription.id));
  }

  private async start(
    subscription: Pick<SubscriptionEntity, 'merchantId' | 'id' | 'customerId'>,
  ): Promise<void> {
    const input: SubscriptionCycleInput = {
      merchantId: subscription.merchantId,
      subscriptionId: subscription.id,
      periodIndex: 0,
      usageSnapshotMs: this.config.values.SUBSCRIPTION_USAGE_SNAPSHOT_INTERVAL,
      retryIntervalMs: this.config.values.CHARGE_RETRY_INTERVAL,
      maxRetries: this.config.values.CHARGE_MAX_RETRIES,
    };
    await startOnce(this.temporal, 'subscriptionCycle', {
      workflowId: subscriptionWorkflowId(subscription.id),
      taskQueue: this.config.values.TEMPORAL_TASK_QUEUE,
      args: [input],
      typedSearchAttributes: [
        { key: TallyMerchantId, value: subscription.merchantId },
        { key: TallyCustomerId, value: subscription.customerId },
        { key: TallyStatus, value: 'active' },
      ],
      staticSummary: `Billing cycle of subscription ${subscription.id} for ${subscription.customerId}`,
    });
    await this.subscriptions.markWorkflowStarted(subscription.merchantId, subscription.id);
  }
}
