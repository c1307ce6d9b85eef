import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { OutboxSweep } from '../../activities/outbox.activities.js';
import { ConflictError } from '../common/errors/tally-error.js';
import { TallyConfigService } from '../config/config.module.js';
import { startOnce } from '../temporal/start-once.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import {
  type InvoiceWorkflowInput,
  type PayRequest,
  payUpdate,
  voidUpdate,
} from '../../workflows/invoice.workflow.js';
import { TallyCustomerId, TallyMerchantId, TallyStatus } from '../../workflows/search-attributes.js';
import type { InvoiceEntity } from './invoice.entity.js';
import { InvoicesRepository } from './invoices.repository.js';

const SWEEP_GRACE_MS = 5000;
const SWEEP_BATCH = 200;

export function invoiceWorkflowId(invoiceId: string): string {
  return `invoice/${invoiceId}`;
}

/**
 * Starts invoice workflows (right after the draft or the issue commits, and from the outbox
 * sweeper when that start was lost) and hands operator actions to them as updates.
 */
@Injectable()
export class InvoiceWorkflows implements OutboxSweep {
  private readonly logger = new Logger(InvoiceWorkflows.name);

  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly config: TallyConfigService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** Starts the invoice's workflow unless it runs or ran; never throws (the sweeper retries). */
  async startSoon(invoice: Pick<InvoiceEntity, 'merchantId' | 'id' | 'payerId'>): Promise<void> {
    try {
      await this.start(invoice);
    } catch (error) {
      this.logger.warn(`invoice workflow start deferred to the sweeper: ${(error as Error).message}`);
    }
  }

  async sweep(): Promise<{ started: number; full: boolean }> {
    const rows = await this.invoices.unstarted(SWEEP_GRACE_MS, SWEEP_BATCH);
    for (const row of rows)
      await this.start({ merchantId: row.merchant_id, id: row.id, payerId: row.payer_id });
    return { started: rows.length, full: rows.length === SWEEP_BATCH };
  }

  async pay(invoice: InvoiceEntity, request: PayRequest) {
    await this.start(invoice);
    return this.update(() =>
      this.temporal.workflow
        .getHandle(invoiceWorkflowId(invoice.id))
        .executeUpdate(payUpdate, { args: [request] }),
    );
  }

  async void(invoice: InvoiceEntity) {
    await this.start(invoice);
    return this.update(() =>
      this.temporal.workflow.getHandle(invoiceWorkflowId(invoice.id)).executeUpdate(voidUpdate),
    );
  }

  private async start(invoice: Pick<InvoiceEntity, 'merchantId' | 'id' | 'payerId'>): Promise<void> {
    const input: InvoiceWorkflowInput = {
      merchantId: invoice.merchantId,
      invoiceId: invoice.id,
      retryIntervalMs: this.config.values.CHARGE_RETRY_INTERVAL,
      maxRetries: this.config.values.CHARGE_MAX_RETRIES,
    };
    await startOnce(this.temporal, 'invoiceLifecycle', {
      workflowId: invoiceWorkflowId(invoice.id),
      taskQueue: this.config.values.TEMPORAL_TASK_QUEUE,
      args: [input],
      typedSearchAttributes: [
        { key: TallyMerchantId, value: invoice.merchantId },
        { key: TallyCustomerId, value: invoice.payerId },
        { key: TallyStatus, value: 'draft' },
      ],
      staticSummary: `Invoice ${invoice.id} for ${invoice.payerId}: issue, charge, retry`,
    });
    await this.invoices.markWorkflowStarted(invoice.merchantId, [invoice.id]);
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
