import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_PATH, WORKFLOWS_PATH } from './workflow-sources.js';

/** Pre-bundles the workflows for production workers (`npm run build`). */
async function main(output = process.argv[2] ?? WORKFLOW_BUNDLE_PATH): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: undefined });
  await writeFile(output, code);
  console.log(`workflow bundle written to ${output}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
