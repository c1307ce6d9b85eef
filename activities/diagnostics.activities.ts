import type { DiagnosticsService } from '../src/diagnostics/diagnostics.service.js';
import type { DiagnosticsActivities } from '../workflows/contracts/diagnostics.contract.js';

/** Reads PostgreSQL from the worker, for the diagnostics round trip. */
export function diagnosticsActivities(diagnostics: DiagnosticsService): DiagnosticsActivities {
  return {
    probeDatabase: (merchantId) => diagnostics.probeDatabase(merchantId),
  };
}
