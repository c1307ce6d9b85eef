import type { CreditMonitorService, ReviewRequest } from '../src/credits/credit-monitor.service.js';

/** The credit monitor's one step. */
export function creditActivities(monitor: CreditMonitorService) {
  return {
    reviewCredits: (request: ReviewRequest) => monitor.review(request),
  };
}

export type CreditActivities = ReturnType<typeof creditActivities>;
