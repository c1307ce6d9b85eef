import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { TallyCustomerId, TallyMerchantId, TallyStatus } from '../search-attributes.js';
import type { DomainFailure } from './failures.js';

/** The subscription workflow (`subscriptionCycle`): its input, steps, messages and start options. */

export interface SubscriptionCycleInput {
  merchantId: string;
  subscriptionId: string;
  /** The period this run bills (each period is one run: continueAsNew keeps histories small). */
  periodIndex: number;
  /** How often `billing.subscriber_usage` is sent while a period runs. */
  usageSnapshotMs: number;
  /** The invoice workflows' charge retry schedule. */
  retryIntervalMs: number;
  maxRetries: number;
}

export interface PeriodRef {
  merchantId: string;
  subscriptionId: string;
  index: number;
}

/** What the cycle workflow knows of its period (times in epoch ms: workflows compare numbers). */
export interface OpenedPeriod {
  ended: boolean;
  index: number;
  startMs: number;
  endMs: number;
  baseInvoiceId: string | null;
  customerId: string;
}

export interface ItemState {
  metric: string;
  used: string;
  included: string;
  overage: string;
}

export interface ClosedPeriod {
  overageInvoiceId: string | null;
  /** False when the subscription ended with this period (canceled). */
  continues: boolean;
}

/** The subscription cycle's steps (activities). */
export interface SubscriptionActivities {
  openPeriod(ref: PeriodRef): Promise<OpenedPeriod>;
  checkUsage(ref: PeriodRef & { snapshot: boolean }): Promise<ItemState[]>;
  billOverage(ref: PeriodRef & { cutoffMs: number; final: boolean }): Promise<ClosedPeriod>;
  /** Records on the subscription why its workflow stopped (nothing when it does not exist). */
  recordSubscriptionFailure(ref: PeriodRef, failure: DomainFailure): Promise<void>;
}

export interface SubscriptionCycleState {
  periodIndex: number;
  periodStart: string | null;
  periodEnd: string | null;
  nextInvoiceAt: string | null;
  usage: ItemState[];
  invoices: string[];
  canceling: boolean;
  /** A plan change is recorded and applies from the next period. */
  planChangePending: boolean;
}

/** Cancel now (the API has recorded it): bill the overage so far and end. */
export const cancelNowSignal = defineSignal('cancelNow');
/** The plan changed (recorded by the API); it applies from the next period. */
export const planChangedSignal = defineSignal('planChanged');
/** The rollup folded new usage of this customer: measure it against the allotments. */
export const usageUpdatedSignal = defineSignal('usageUpdated');
/** Invoice the overage accrued so far now; answers the invoice id (null when there is none). */
export const billNowUpdate = defineUpdate<string | null>('billNow');
export const subscriptionStateQuery = defineQuery<SubscriptionCycleState>('state');

export function subscriptionWorkflowId(subscriptionId: string): string {
  return `subscription/${subscriptionId}`;
}

export function subscriptionWorkflowStart(subscription: {
  merchantId: string;
  subscriptionId: string;
  customerId: string;
}) {
  return {
    workflowId: subscriptionWorkflowId(subscription.subscriptionId),
    typedSearchAttributes: [
      { key: TallyMerchantId, value: subscription.merchantId },
      { key: TallyCustomerId, value: subscription.customerId },
      { key: TallyStatus, value: 'active' },
    ],
    staticSummary: `Billing cycle of subscription ${subscription.subscriptionId} for ${subscription.customerId}`,
  };
}
