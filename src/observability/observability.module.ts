import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';

/**
 * The API's `GET /metrics`. (The worker has no HTTP server: worker-metrics-server.ts serves its
 * metrics on WORKER_METRICS_PORT; tracing is set up per process by tracing.ts.)
 */
@Module({ controllers: [MetricsController] })
export class ObservabilityModule {}
