import type { DiagnosticsService } from '../src/diagnostics/diagnostics.service.js';

/** Reads PostgreSQL from the worker, for the diagnostics round trip. */
export function diagnosticsActivities(diagnostics: DiagnosticsService) {
  return {
    probeDatabase: (merchantId: string) => diagnostics.probeDatabase(merchantId),
  };
}

export type DiagnosticsActivities = ReturnType<typeof diagnosticsActivities>;
