import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { TallyConfigService } from '../config/config.module.js';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.module.js';
import {
  type DatabaseProbe,
  roundTripWorkflowStart,
} from '../../workflows/contracts/diagnostics.contract.js';
import { diagnosticsRoundTrip } from '../../workflows/diagnostics.workflow.js';
import { DiagnosticsRepository } from './diagnostics.repository.js';
import type { DiagnosticsRoundTrip } from './dto/round-trip-resource.dto.js';

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
  ): Promise<DiagnosticsRoundTrip> {
    const handle = await this.temporal.workflow.start(diagnosticsRoundTrip, {
      ...roundTripWorkflowStart(merchantId, randomUUID()),
      taskQueue,
      args: [merchantId],
      workflowExecutionTimeout: '1 minute',
    });
    return handle.result();
  }
}
