import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { TallyConfigService } from '../config/config.module.js';
import { reachTemporal } from '../temporal/handoff.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import {
  type RollupOptions,
  type RollupProgress,
  rollupWorkflowId,
  rollupWorkflowStart,
} from '../../workflows/contracts/rollup.contract.js';
import { eventRollup } from '../../workflows/rollup.workflow.js';
import { runAfterCommit } from '../pipeline/pipeline-events.js';
import { rollupEventsFolded } from '../observability/meters.js';
import { RollupRepository } from './rollup.repository.js';

export interface RollupStatus {
  workflow_id: string;
  /** The workflow's own account of its progress, or null when it cannot be asked (no worker, Temporal down). */
  progress: RollupProgress | null;
  logged_events: number;
  /** Seconds since the oldest event still waiting to be folded was received (0 when none waits). */
  lag_seconds: number;
}

/** A merchant's part of the rollup's backlog. */
export interface MerchantBacklog {
  loggedEvents: number;
  oldestReceivedAt: Date | null;
  /** Seconds (to a tenth) since the oldest was received; 0 when none waits. */
  lagSeconds: number;
}

function lagSeconds(oldestReceivedAt: Date | null, now: number): number {
  const lagMs = oldestReceivedAt ? now - oldestReceivedAt.getTime() : 0;
  return Math.max(0, Math.round(lagMs / 100) / 10);
}

@Injectable()
export class RollupService {
  private readonly logger = new Logger(RollupService.name);

  constructor(
    private readonly repository: RollupRepository,
    private readonly config: TallyConfigService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** The rollup's step, run by the workflow's activity; then what the fold's subscribers do after the commit. */
  async rollUpBatch(limit: number) {
    const { afterCommit, ...batch } = await this.repository.rollUpBatch(limit);
    rollupEventsFolded.inc(batch.folded);
    await runAfterCommit(afterCommit);
    return batch;
  }

  workflowId(taskQueue = this.config.values.TEMPORAL_TASK_QUEUE): string {
    return rollupWorkflowId(taskQueue);
  }

  /** Starts the rollup workflow for this task queue unless it already runs (every worker calls this at start). */
  async ensureRunning(taskQueue = this.config.values.TEMPORAL_TASK_QUEUE): Promise<void> {
    const options: RollupOptions = {
      batchSize: this.config.values.ROLLUP_BATCH_SIZE,
      idleMs: this.config.values.ROLLUP_IDLE_MS,
    };
    await this.temporal.workflow.start(eventRollup, {
      ...rollupWorkflowStart(taskQueue),
      taskQueue,
      args: [options],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }

  /** One merchant's events waiting for the rollup, and the lag of the oldest. */
  async merchantBacklog(merchantId: string, now = Date.now()): Promise<MerchantBacklog> {
    const backlog = await this.repository.backlog(merchantId);
    return {
      loggedEvents: backlog.loggedEvents,
      oldestReceivedAt: backlog.oldestReceivedAt,
      lagSeconds: lagSeconds(backlog.oldestReceivedAt, now),
    };
  }

  async status(): Promise<RollupStatus> {
    const workflowId = this.workflowId();
    const [backlog, progress] = await Promise.all([
      this.repository.backlog(),
      reachTemporal(this.temporal, this.config.values.TEMPORAL_REACH_TIMEOUT_MS, () =>
        this.temporal.workflow.getHandle(workflowId).query<RollupProgress>('progress'),
      ).catch(() => null),
    ]);
    return {
      workflow_id: workflowId,
      progress,
      logged_events: backlog.loggedEvents,
      lag_seconds: lagSeconds(backlog.oldestReceivedAt, Date.now()),
    };
  }
}
