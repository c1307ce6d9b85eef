import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';
import { projectRoot } from '../config/project-root.js';
import type { Tracing } from './tracing.js';

/**
 * The workflow interceptors that continue a trace inside workflows (spans for the workflow run
 * and the activities it schedules, exported through the `exporter` sink). They live in the
 * workflow bundle, so tracing needs a bundle built with them: `npm run build` writes both.
 */
export const TRACING_WORKFLOW_MODULES = [
  createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

/** The prebuilt bundle with the tracing interceptors, beside the plain one. */
export const TRACED_WORKFLOW_BUNDLE_PATH = join(projectRoot(), 'dist', 'workflow-bundle.traced.js');

/** A span per activity run, a child of the workflow's span for scheduling it. */
export const tracingActivityInterceptor: ActivityInterceptorsFactory = (ctx) => ({
  inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
  outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
});

/** The sink workflow spans leave the sandbox through, to the process's span processor. */
export function tracingSinks(tracing: Tracing): NonNullable<WorkerOptions['sinks']> {
  return { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) };
}

/**
 * Where a traced worker takes its workflows from: the given bundle (it must have been built with
 * TRACING_WORKFLOW_MODULES), else the traced prebuilt bundle, else the folder, bundled at start with them.
 */
export function tracedWorkflowSource(
  workflowsPath: string,
  bundlePath?: string,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> & { workflowModules?: string[] } {
  const codePath =
    bundlePath ?? (existsSync(TRACED_WORKFLOW_BUNDLE_PATH) ? TRACED_WORKFLOW_BUNDLE_PATH : undefined);
  return codePath
    ? { workflowBundle: { codePath } }
    : { workflowsPath, workflowModules: TRACING_WORKFLOW_MODULES };
}
