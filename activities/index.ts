import type { INestApplicationContext } from '@nestjs/common';
import { DiagnosticsService } from '../src/diagnostics/diagnostics.service.js';
import { RollupService } from '../src/usage/rollup.service.js';
import { diagnosticsActivities } from './diagnostics.activities.js';
import { rollupActivities } from './rollup.activities.js';

/** Every activity the worker registers, bound to the Nest providers that do the work. */
export function createActivities(app: INestApplicationContext) {
  return {
    ...diagnosticsActivities(app.get(DiagnosticsService)),
    ...rollupActivities(app.get(RollupService)),
  };
}

export type TallyActivities = ReturnType<typeof createActivities>;
