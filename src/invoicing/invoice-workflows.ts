import { Inject, Injectable } from '@nestjs/common';
import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { ConflictError } from '../common/errors/tally-error.js';
import { TallyConfigService } from '../config/config.module.js';
import { reachTemporal } from '../temporal/handoff.js';
import { startOnce } from '../temporal/start-once.js';
import { startSoonFromOutbox, type WorkflowOutbox } from '../temporal/workflow-outbox.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import {
  invoiceWorkflowId,
  invoiceWorkflowStart,
  type InvoiceWorkflowInput,
  type PayRequest,
  payUpdate,
  voidUpdate,
} from '../../workflows/contracts/invoice.contract.js';
import { invoiceLifecycle } from '../../workflows/invoice.workflow.js';
import type { InvoiceEntity } from './invoice.entity.js';
import { InvoicesRepository } from './invoices.repository.js';

type InvoiceToStart = Pick<InvoiceEntity, 'merchantId' | 'id' | 'payerId'>;

/**
 * Starts invoice workflows (right after the draft or the issue commits, and from the outbox
 * sweeper when that start was lost) and hands operator actions to them as updates.
 */
@Injectable()
export class InvoiceWorkflows implements WorkflowOutbox<InvoiceToStart> {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly config: TallyConfigService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** Starts the invoice's workflow unless it runs or ran; never throws (the sweeper retries). */
  startSoon(invoice: InvoiceToStart): Promise<void> {
    return startSoonFromOutbox(this, [invoice], this.config.values.TEMPORAL_HANDOFF_WAIT_MS);
  }

  async unstarted(graceMs: number, limit: number): Promise<InvoiceToStart[]> {
    const rows = await this.invoices.unstarted(graceMs, limit);
    return rows.map((row) => ({ merchantId: row.merchant_id, id: row.id, payerId: row.payer_id }));
  }

  markStarted(invoices: InvoiceToStart[]): Promise<void> {
    return this.invoices.markWorkflowStarted(
      invoices.map((invoice) => ({ merchantId: invoice.merchantId, id: invoice.id })),
    );
  }

  async pay(invoice: InvoiceEntity, request: PayRequest) {
    await this.startNow(invoice);
    return this.update(() =>
      this.temporal.workflow
        .getHandle(invoiceWorkflowId(invoice.id))
        .executeUpdate(payUpdate, { args: [request] }),
    );
  }

  async void(invoice: InvoiceEntity) {
    await this.startNow(invoice);
    return this.update(() =>
      this.temporal.workflow.getHandle(invoiceWorkflowId(invoice.id)).executeUpdate(voidUpdate),
    );
  }

  async start(invoice: InvoiceToStart): Promise<void> {
    const input: InvoiceWorkflowInput = {
      merchantId: invoice.merchantId,
      invoiceId: invoice.id,
      retryIntervalMs: this.config.values.CHARGE_RETRY_INTERVAL,
      maxRetries: this.config.values.CHARGE_MAX_RETRIES,
    };
    await startOnce(this.temporal, invoiceLifecycle, {
      ...invoiceWorkflowStart({
        merchantId: invoice.merchantId,
        invoiceId: invoice.id,
        payerId: invoice.payerId,
      }),
      taskQueue: this.config.values.TEMPORAL_TASK_QUEUE,
      args: [input],
    });
  }

  /**
   * Before an operator's action: the workflow must run, whether or not its start was recorded.
   * A Temporal that does not answer in time makes it a 503 before anything is asked of the workflow.
   */
  private async startNow(invoice: InvoiceToStart): Promise<void> {
    await reachTemporal(this.temporal, this.config.values.TEMPORAL_REACH_TIMEOUT_MS, () =>
      this.start(invoice),
    );
    await this.markStarted([invoice]);
  }

  /** An update the workflow's validator refused (the invoice moved on meanwhile) is a 409. */
  private async update<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        const cause = error.cause as { type?: string; message?: string } | undefined;
        throw new ConflictError(cause?.type ?? 'invoice_state_conflict', cause?.message ?? error.message);
      }
      throw error;
    }
  }
}
