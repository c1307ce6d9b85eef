import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CollectionMethod, InvoiceStatus } from '../../src/invoicing/domain/invoice-status.js';
import { TallyCustomerId, TallyMerchantId, TallyStatus } from '../search-attributes.js';
import type { DomainFailure } from './failures.js';

/** The invoice workflow (`invoiceLifecycle`): its input, steps, messages and start options. */

export interface InvoiceWorkflowInput {
  merchantId: string;
  invoiceId: string;
  /** Wait between a declined scheduled charge and the next (a day by default). */
  retryIntervalMs: number;
  /** Scheduled charges after the first (3 by default). */
  maxRetries: number;
}

/** What the invoice workflow needs to decide its next step. */
export interface InvoiceSnapshot {
  status: InvoiceStatus;
  collectionMethod: CollectionMethod;
  attemptCount: number;
  total: string;
}

export interface InvoiceRef {
  merchantId: string;
  invoiceId: string;
}

export interface ChargeInput extends InvoiceRef {
  /** 1 for the first charge of the invoice; with the invoice id, the gateway's idempotency key. */
  attempt: number;
  /** Another of the payer's payment methods (an operator's `pay`); default: the invoice's, then the payer's. */
  paymentMethodId?: string | null;
  /** When the next scheduled attempt follows a decline; null when none is scheduled. */
  retryDelayMs: number | null;
  /** A decline on this attempt makes the invoice uncollectible (the schedule's last attempt). */
  final: boolean;
}

export type ChargeOutcome = 'succeeded' | 'declined' | 'not_payable';

export interface ChargeStepResult {
  outcome: ChargeOutcome;
  invoice: InvoiceSnapshot;
}

/** The invoice workflow's steps (activities). */
export interface InvoiceActivities {
  issueInvoice(ids: InvoiceRef): Promise<InvoiceSnapshot>;
  chargeInvoice(input: ChargeInput): Promise<ChargeStepResult>;
  voidInvoice(ids: InvoiceRef): Promise<InvoiceSnapshot>;
  /** Records on the invoice why its workflow stopped (nothing when the invoice does not exist). */
  recordInvoiceFailure(ids: InvoiceRef, failure: DomainFailure): Promise<void>;
}

export interface PayRequest {
  paymentMethodId?: string | null;
}

/** Attempt a charge now (an operator's `POST /v1/invoices/:id/pay`); answers the outcome. */
export const payUpdate = defineUpdate<ChargeStepResult, [PayRequest]>('pay');
/** Void the invoice (unless it is paid); answers its state. */
export const voidUpdate = defineUpdate<InvoiceSnapshot, []>('void');
export const invoiceStateQuery = defineQuery<InvoiceSnapshot | null>('state');

export function invoiceWorkflowId(invoiceId: string): string {
  return `invoice/${invoiceId}`;
}

/**
 * Where an invoice workflow is started from (the API, the outbox sweeper, a subscription's
 * period), it gets the same id, search attributes and summary.
 */
export function invoiceWorkflowStart(invoice: { merchantId: string; invoiceId: string; payerId: string }) {
  return {
    workflowId: invoiceWorkflowId(invoice.invoiceId),
    typedSearchAttributes: [
      { key: TallyMerchantId, value: invoice.merchantId },
      { key: TallyCustomerId, value: invoice.payerId },
      { key: TallyStatus, value: 'draft' },
    ],
    staticSummary: `Invoice ${invoice.invoiceId} for ${invoice.payerId}: issue, charge, retry`,
  };
}
