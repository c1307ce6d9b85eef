/** A workflow execution's status as the API names it (Temporal's ExecutionStatus in snake case). */
export const WORKFLOW_STATUSES = [
  'running',
  'completed',
  'failed',
  'canceled',
  'terminated',
  'timed_out',
  'continued_as_new',
] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export type WorkflowStatusCounts = Record<WorkflowStatus, number>;

/** One group of a `GROUP BY ExecutionStatus` count, as the Temporal client answers it. */
export interface StatusGroup {
  count: number;
  groupValues: unknown[];
}

/**
 * `ContinuedAsNew` → `continued_as_new`; null for a value Tally does not know. The client decodes
 * a group's value as a search attribute's, a list (`["Running"]`).
 */
export function workflowStatusOf(groupValue: unknown): WorkflowStatus | null {
  const executionStatus: unknown = Array.isArray(groupValue) ? groupValue[0] : groupValue;
  if (typeof executionStatus !== 'string') return null;
  const name = executionStatus.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toLowerCase();
  return (WORKFLOW_STATUSES as readonly string[]).includes(name) ? (name as WorkflowStatus) : null;
}

/** Every status with its count (0 when no group names it). */
export function countsByStatus(groups: readonly StatusGroup[]): WorkflowStatusCounts {
  const counts = Object.fromEntries(WORKFLOW_STATUSES.map((status) => [status, 0])) as WorkflowStatusCounts;
  for (const group of groups) {
    const status = workflowStatusOf(group.groupValues[0]);
    if (status) counts[status] += group.count;
  }
  return counts;
}

/** A visibility query's string literal (merchant ids are plain, but a quote must never end it). */
export function queryLiteral(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
