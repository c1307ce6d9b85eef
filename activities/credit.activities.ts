import type { CreditMonitorService } from '../src/credits/credit-monitor.service.js';
import type { CreditActivities } from '../workflows/contracts/credit-monitor.contract.js';

/** The credit monitor's one step. */
export function creditActivities(monitor: CreditMonitorService): CreditActivities {
  return {
    reviewCredits: (request) => monitor.review(request),
  };
}
