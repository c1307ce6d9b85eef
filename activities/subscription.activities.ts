import type { PeriodRef, SubscriptionCycleService } from '../src/subscriptions/subscription-cycle.service.js';

/** The subscription cycle's steps, bound to the service that does them. */
export function subscriptionActivities(cycle: SubscriptionCycleService) {
  return {
    openPeriod: (ref: PeriodRef) => cycle.openPeriod(ref),
    checkUsage: (ref: PeriodRef & { snapshot: boolean }) => cycle.checkUsage(ref),
    billOverage: (ref: PeriodRef & { cutoffMs: number; final: boolean }) => cycle.billOverage(ref),
  };
}

export type SubscriptionActivities = ReturnType<typeof subscriptionActivities>;
