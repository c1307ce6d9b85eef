import { proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { DiagnosticsActivities, RoundTripResult } from './contracts/diagnostics.contract.js';
import { TallyStatus } from './search-attributes.js';
import { retryTransientFaults } from './contracts/failures.js';

const { probeDatabase } = proxyActivities<DiagnosticsActivities>({
  startToCloseTimeout: '10 seconds',
  retry: retryTransientFaults({ maximumAttempts: 3 }),
});

/**
 * Proves the whole pipeline: API → Temporal → worker → PostgreSQL and back. Started by
 * `POST /admin/diagnostics/round_trip` and by the integration tests.
 */
export async function diagnosticsRoundTrip(merchantId: string): Promise<RoundTripResult> {
  const database = await probeDatabase(merchantId);
  upsertSearchAttributes([{ key: TallyStatus, value: 'completed' }]);
  return { workflowId: workflowInfo().workflowId, database };
}
