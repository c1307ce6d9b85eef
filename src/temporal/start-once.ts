import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowStartOptions,
} from '@temporalio/client';

/**
 * Starts a workflow unless one with its id runs or has run: a running one is used as it is
 * (USE_EXISTING) and a finished one is not started again (REJECT_DUPLICATE, answered by the
 * server as "already started", which counts as success). How every entity workflow is started.
 */
export async function startOnce(
  client: Client,
  workflowType: string,
  options: Omit<WorkflowStartOptions, 'workflowIdConflictPolicy' | 'workflowIdReusePolicy'>,
): Promise<void> {
  try {
    await client.workflow.start(workflowType, {
      ...options,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    } as WorkflowStartOptions);
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
