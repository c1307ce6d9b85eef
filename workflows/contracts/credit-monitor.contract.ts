import { defineQuery, defineSignal } from '@temporalio/workflow';
import { TallyCustomerId, TallyMerchantId, TallyStatus } from '../search-attributes.js';

/** The credit monitor workflow (`creditMonitor`): its input, step, messages and start options. */

export interface CreditMonitorInput {
  merchantId: string;
  payerId: string;
  /** How long before a grant expires the warning goes out. */
  expirationWarningMs: number;
  /** Review at least this often without a signal (a lost signal only delays a notice this long). */
  recheckMs: number;
}

export interface CreditMonitorState {
  reviews: number;
  lastReviewAt: string | null;
  /** The next expiry or expiry warning the monitor waits for. */
  nextDueAt: string | null;
}

export interface ReviewRequest {
  merchantId: string;
  payerId: string;
  /** The monitor's time: expiries and warnings due by then are carried out. */
  asOfMs: number;
  expirationWarningMs: number;
}

/** The credit monitor's step (activity): answers when the next expiry or warning falls due. */
export interface CreditActivities {
  reviewCredits(request: ReviewRequest): Promise<{ nextDueMs: number | null }>;
}

/** The payer's credits changed (usage drew from them, a grant was added, paid or voided). */
export const creditsChangedSignal = defineSignal('creditsChanged');
export const creditMonitorStateQuery = defineQuery<CreditMonitorState>('state');

export function creditMonitorWorkflowId(payerId: string): string {
  return `credits/${payerId}`;
}

export function creditMonitorWorkflowStart(payer: { merchantId: string; payerId: string }) {
  return {
    workflowId: creditMonitorWorkflowId(payer.payerId),
    typedSearchAttributes: [
      { key: TallyMerchantId, value: payer.merchantId },
      { key: TallyCustomerId, value: payer.payerId },
      { key: TallyStatus, value: 'monitoring' },
    ],
    staticSummary: `Prepaid credits of ${payer.payerId}: thresholds, expiries, top-ups`,
  };
}
