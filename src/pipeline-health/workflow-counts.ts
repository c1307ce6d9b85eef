import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { TallyConfigService } from '../config/config.module.js';
import { reachTemporal } from '../temporal/handoff.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import { creditMonitor } from '../../workflows/credit-monitor.workflow.js';
import { diagnosticsRoundTrip } from '../../workflows/diagnostics.workflow.js';
import { invoiceLifecycle } from '../../workflows/invoice.workflow.js';
import { subscriptionCycle } from '../../workflows/subscription.workflow.js';
import { webhookDelivery } from '../../workflows/webhook-delivery.workflow.js';
import { TallyMerchantId } from '../../workflows/search-attributes.js';
import {
  countsByStatus,
  queryLiteral,
  WORKFLOW_STATUSES,
  type WorkflowStatus,
  type WorkflowStatusCounts,
} from './domain/workflow-status.js';

/**
 * The workflow types that carry TallyMerchantId (the rollup and the outbox sweeper serve every
 * merchant of a task queue and carry none).
 */
export const MERCHANT_WORKFLOW_TYPES = [
  invoiceLifecycle,
  subscriptionCycle,
  creditMonitor,
  webhookDelivery,
  diagnosticsRoundTrip,
].map((workflow) => workflow.name);

export type WorkflowCounts =
  | {
      available: true;
      byStatus: WorkflowStatusCounts;
      byType: { type: string; status: WorkflowStatus; count: number }[];
    }
  | { available: false; error: string };

/**
 * One merchant's workflows by status, and by type and status, from Temporal's visibility store:
 * `count` with `GROUP BY ExecutionStatus` (the only grouping it offers), once over all of the
 * merchant's workflows and once per type. Temporal down or slow answers `available: false`.
 */
@Injectable()
export class WorkflowCountsReader {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly config: TallyConfigService,
  ) {}

  async count(merchantId: string): Promise<WorkflowCounts> {
    const merchant = `${TallyMerchantId.name} = ${queryLiteral(merchantId)}`;
    const count = (filter: string) =>
      reachTemporal(this.temporal, this.config.values.TEMPORAL_REACH_TIMEOUT_MS, () =>
        this.temporal.workflow.count(`${filter} GROUP BY ExecutionStatus`),
      );
    try {
      const [all, ...perType] = await Promise.all([
        count(merchant),
        ...MERCHANT_WORKFLOW_TYPES.map((type) =>
          count(`${merchant} AND WorkflowType = ${queryLiteral(type)}`),
        ),
      ]);
      const byType = MERCHANT_WORKFLOW_TYPES.flatMap((type, i) => {
        const counts = countsByStatus(perType[i]!.groups);
        return WORKFLOW_STATUSES.filter((status) => counts[status] > 0).map((status) => ({
          type,
          status,
          count: counts[status],
        }));
      });
      return { available: true, byStatus: countsByStatus(all!.groups), byType };
    } catch (error) {
      return { available: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
