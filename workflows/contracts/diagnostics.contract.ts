import { TallyMerchantId, TallyStatus } from '../search-attributes.js';

/** The diagnostics round trip (`diagnosticsRoundTrip`): API → Temporal → worker → PostgreSQL. */

export interface DatabaseProbe {
  databaseTime: string;
  merchantExists: boolean;
  payerCount: number;
}

export interface RoundTripResult {
  workflowId: string;
  database: DatabaseProbe;
}

/** The round trip's step (activity): read PostgreSQL from the worker. */
export interface DiagnosticsActivities {
  probeDatabase(merchantId: string): Promise<DatabaseProbe>;
}

export function roundTripWorkflowStart(merchantId: string, runId: string) {
  return {
    workflowId: `diagnostics/round-trip/${runId}`,
    typedSearchAttributes: [
      { key: TallyMerchantId, value: merchantId },
      { key: TallyStatus, value: 'running' },
    ],
    staticSummary: `Diagnostics round trip for ${merchantId}`,
  };
}
