import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';
import { projectRoot } from '../config/project-root.js';

/** The prebuilt bundle `npm run build` writes for production workers. */
export const WORKFLOW_BUNDLE_PATH = join(projectRoot(), 'dist', 'workflow-bundle.js');

/** The workflows folder next to this file's tree (src/… or dist/src/…). */
export const WORKFLOWS_PATH = resolve(import.meta.dirname, '..', '..', 'workflows');

/**
 * Where the worker takes its workflows from: a prebuilt bundle when one is given or built
 * (production: no bundling at start), otherwise the workflows folder, bundled at start.
 */
export function workflowSource(bundlePath?: string): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const codePath = bundlePath ?? (existsSync(WORKFLOW_BUNDLE_PATH) ? WORKFLOW_BUNDLE_PATH : undefined);
  return codePath ? { workflowBundle: { codePath } } : { workflowsPath: WORKFLOWS_PATH };
}
