import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { OutboxSweep } from '../../activities/outbox.activities.js';
import { TallyConfigService } from '../config/config.module.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import {
  type CreditMonitorInput,
  type CreditMonitorState,
  creditMonitorStateQuery,
  creditsChangedSignal,
} from '../../workflows/credit-monitor.workflow.js';
import { TallyCustomerId, TallyMerchantId, TallyStatus } from '../../workflows/search-attributes.js';
import { CreditsRepository } from './credits.repository.js';

const SWEEP_GRACE_MS = 5000;
const SWEEP_BATCH = 200;

export function creditMonitorWorkflowId(payerId: string): string {
  return `credits/${payerId}`;
}

/** Starts and signals the credit monitors (`credits/<payer>`), one per payer with credits. */
@Injectable()
export class CreditWorkflows implements OutboxSweep {
  private readonly logger = new Logger(CreditWorkflows.name);

  constructor(
    private readonly credits: CreditsRepository,
    private readonly config: TallyConfigService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /**
   * Tells the payer's monitor its credits changed, starting it if it does not run (signal with
   * start). Never throws: the monitor also reviews on its own schedule, and the sweeper starts
   * monitors whose start was lost.
   */
  async changed(merchantId: string, payerId: string): Promise<void> {
    try {
      await this.signalWithStart(merchantId, payerId);
    } catch (error) {
      this.logger.warn(`credit monitor signal for ${payerId} deferred: ${(error as Error).message}`);
    }
  }

  async sweep(): Promise<{ started: number; full: boolean }> {
    const rows = await this.credits.unstarted(SWEEP_GRACE_MS, SWEEP_BATCH);
    for (const row of rows) await this.signalWithStart(row.merchant_id, row.payer_id);
    return { started: rows.length, full: rows.length === SWEEP_BATCH };
  }

  async state(payerId: string): Promise<CreditMonitorState | null> {
    return this.temporal.workflow
      .getHandle(creditMonitorWorkflowId(payerId))
      .query(creditMonitorStateQuery)
      .catch(() => null);
  }

  private async signalWithStart(merchantId: string, payerId: string): Promise<void> {
    const input: CreditMonitorInput = {
      merchantId,
      payerId,
      expirationWarningMs: this.config.values.CREDIT_EXPIRATION_WARNING,
      recheckMs: this.config.values.CREDIT_MONITOR_RECHECK,
    };
    await this.temporal.workflow.signalWithStart('creditMonitor', {
      workflowId: creditMonitorWorkflowId(payerId),
      taskQueue: this.config.values.TEMPORAL_TASK_QUEUE,
      args: [input],
      signal: creditsChangedSignal,
      signalArgs: [],
      typedSearchAttributes: [
        { key: TallyMerchantId, value: merchantId },
        { key: TallyCustomerId, value: payerId },
        { key: TallyStatus, value: 'monitoring' },
      ],
      staticSummary: `Prepaid credits of ${payerId}: thresholds, expiries, top-ups`,
    });
    await this.credits.markWorkflowStarted(merchantId, payerId);
  }
}
