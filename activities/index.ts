import type { INestApplicationContext } from '@nestjs/common';
import { DiagnosticsService } from '../src/diagnostics/diagnostics.service.js';
import { diagnosticsActivities } from './diagnostics.activities.js';

/** Every activity the worker registers, bound to the Nest providers that do the work. */
export function createActivities(app: INestApplicationContext) {
  return {
    ...diagnosticsActivities(app.get(DiagnosticsService)),
  };
}

export type TallyActivities = ReturnType<typeof createActivities>;
