import type { SubscriptionCycleService } from '../src/subscriptions/subscription-cycle.service.js';
import type { SubscriptionActivities } from '../workflows/contracts/subscription.contract.js';

/** The subscription cycle's steps, bound to the service that does them. */
export function subscriptionActivities(cycle: SubscriptionCycleService): SubscriptionActivities {
  return {
    openPeriod: (ref) => cycle.openPeriod(ref),
    checkUsage: (ref) => cycle.checkUsage(ref),
    billOverage: (ref) => cycle.billOverage(ref),
    recordSubscriptionFailure: (ref, failure) => cycle.recordWorkflowFailure(ref, failure),
  };
}
