import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { TallyConfigService } from '../config/config.module.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import { TallyMerchantId, TallyStatus } from '../../workflows/search-attributes.js';
import type { RoundTripResult } from '../../workflows/diagnostics.workflow.js';
import { type DatabaseProbe, DiagnosticsRepository } from './diagnostics.repository.js';

@Injectable()
export class DiagnosticsService {
  constructor(
    private readonly repository: DiagnosticsRepository,
    private readonly config: TallyConfigService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  probeDatabase(merchantId: string): Promise<DatabaseProbe> {
    return this.repository.probe(merchantId);
  }

  /** Runs the diagnostics workflow on a worker and waits for its answer (API → Temporal → worker → PostgreSQL). */
  async roundTrip(
    merchantId: string,
    taskQueue = this.config.values.TEMPORAL_TASK_QUEUE,
  ): Promise<RoundTripResult> {
    const handle = await this.temporal.workflow.start('diagnosticsRoundTrip', {
      workflowId: `diagnostics/round-trip/${randomUUID()}`,
      taskQueue,
      args: [merchantId],
      workflowExecutionTimeout: '1 minute',
      typedSearchAttributes: [
        { key: TallyMerchantId, value: merchantId },
        { key: TallyStatus, value: 'running' },
      ],
      staticSummary: `Diagnostics round trip for ${merchantId}`,
    });
    return handle.result() as Promise<RoundTripResult>;
  }
}
