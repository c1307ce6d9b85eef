import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import { TRACED_WORKFLOW_BUNDLE_PATH, TRACING_WORKFLOW_MODULES } from '../observability/workflow-tracing.js';
import { WORKFLOW_BUNDLE_PATH, WORKFLOWS_PATH } from './workflow-sources.js';

/**
 * Pre-bundles the workflows for production workers (`npm run build`): the plain bundle, and one
 * with the OpenTelemetry workflow interceptors for workers that trace (OTEL_EXPORTER_OTLP_ENDPOINT
 * set), so that a worker with tracing off runs no tracing code at all.
 */
async function main(
  output = process.argv[2] ?? WORKFLOW_BUNDLE_PATH,
  tracedOutput = process.argv[3] ?? TRACED_WORKFLOW_BUNDLE_PATH,
): Promise<void> {
  const plain = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: undefined });
  await writeFile(output, plain.code);
  console.log(`workflow bundle written to ${output}`);
  const traced = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: TRACING_WORKFLOW_MODULES,
    logger: undefined,
  });
  await writeFile(tracedOutput, traced.code);
  console.log(`traced workflow bundle written to ${tracedOutput}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
