import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { TallyConfigService } from '../config/config.module.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import { reachTemporal, withBackgroundDeadline } from '../temporal/handoff.js';
import { startSoonFromOutbox, type WorkflowOutbox } from '../temporal/workflow-outbox.js';
import {
  type CreditMonitorInput,
  type CreditMonitorState,
  creditMonitorStateQuery,
  creditMonitorWorkflowId,
  creditMonitorWorkflowStart,
  creditsChangedSignal,
} from '../../workflows/contracts/credit-monitor.contract.js';
import { creditMonitor } from '../../workflows/credit-monitor.workflow.js';
import { CreditsRepository } from './credits.repository.js';

interface PayerToMonitor {
  merchantId: string;
  payerId: string;
}

/** Starts and signals the credit monitors (`credits/<payer>`), one per payer with credits. */
@Injectable()
export class CreditWorkflows implements WorkflowOutbox<PayerToMonitor> {
  constructor(
    private readonly credits: CreditsRepository,
    private readonly config: TallyConfigService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /**
   * Tells the payer's monitor its credits changed, starting it if it does not run (signal with
   * start). Never throws, nor waits past the handoff wait: a signal that cannot be sent puts the
   * payer back in the outbox, and the sweeper sends it.
   */
  changed(merchantId: string, payerId: string): Promise<void> {
    return startSoonFromOutbox(this, [{ merchantId, payerId }], this.config.values.TEMPORAL_HANDOFF_WAIT_MS);
  }

  async unstarted(graceMs: number, limit: number): Promise<PayerToMonitor[]> {
    const rows = await this.credits.unstarted(graceMs, limit);
    return rows.map((row) => ({ merchantId: row.merchant_id, payerId: row.payer_id }));
  }

  markStarted(payers: PayerToMonitor[]): Promise<void> {
    return this.credits.markWorkflowStarted(payers);
  }

  requeue(payers: PayerToMonitor[]): Promise<void> {
    return this.credits.markWorkflowUnsignalled(payers);
  }

  async state(payerId: string): Promise<CreditMonitorState | null> {
    return reachTemporal(this.temporal, this.config.values.TEMPORAL_REACH_TIMEOUT_MS, () =>
      this.temporal.workflow.getHandle(creditMonitorWorkflowId(payerId)).query(creditMonitorStateQuery),
    ).catch(() => null);
  }

  /** Signal with start: the monitor starts if it does not run, and reviews now either way. */
  async start({ merchantId, payerId }: PayerToMonitor): Promise<void> {
    const input: CreditMonitorInput = {
      merchantId,
      payerId,
      expirationWarningMs: this.config.values.CREDIT_EXPIRATION_WARNING,
      recheckMs: this.config.values.CREDIT_MONITOR_RECHECK,
    };
    await withBackgroundDeadline(this.temporal, () =>
      this.temporal.workflow.signalWithStart(creditMonitor, {
        ...creditMonitorWorkflowStart({ merchantId, payerId }),
        taskQueue: this.config.values.TEMPORAL_TASK_QUEUE,
        args: [input],
        signal: creditsChangedSignal,
        signalArgs: [],
      }),
    );
  }
}
