import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { withBackgroundDeadline } from './handoff.js';

/**
 * Starts a workflow unless one with its id runs or has run: a running one is used as it is
 * (USE_EXISTING) and a finished one is not started again (REJECT_DUPLICATE, answered by the
 * server as "already started", which counts as success). How every entity workflow is started,
 * by function reference, so its arguments are type-checked. Answers whether a run had already
 * finished with the id (nothing started).
 */
export async function startOnce<T extends Workflow>(
  client: Client,
  workflow: T,
  options: Omit<WorkflowStartOptions<T>, 'workflowIdConflictPolicy' | 'workflowIdReusePolicy'>,
): Promise<{ finishedBefore: boolean }> {
  try {
    await withBackgroundDeadline(client, () =>
      client.workflow.start(workflow, {
        ...options,
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      } as WorkflowStartOptions<T>),
    );
    return { finishedBefore: false };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return { finishedBefore: true };
  }
}
