import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { WorkerModule } from './app.module.js';
import { createRootLogger, PinoNestLogger } from './common/logging/logger.js';
import { loadConfig, loadDotEnvFile } from './config/config.js';
import { prepareDatabase } from './database/prepare-database.js';
import { InvoicesRepository } from './invoicing/invoices.repository.js';
import { StateMetrics } from './observability/state-metrics.js';
import { temporalRuntimeMetrics } from './observability/temporal-runtime-metrics.js';
import { startTracing } from './observability/tracing.js';
import { startWorkerMetricsServer, type WorkerMetricsServer } from './observability/worker-metrics-server.js';
import { runMain } from './process/run-main.js';
import { createTallyWorker } from './temporal/worker.factory.js';
import { RollupRepository } from './usage/rollup.repository.js';
import { webhookTaskQueue } from '../workflows/contracts/webhook-delivery.contract.js';

const ACTIVITY_ONLY_NOTICE = 'No workflows registered, not polling for workflow tasks';

/** The Temporal worker process: workflows from workflows/, activities bound to Nest services. */
runMain(async () => {
  loadDotEnvFile();
  const config = loadConfig();
  const logger = createRootLogger(config, 'worker');
  const sdkLevels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
    TRACE: 'trace',
    DEBUG: 'debug',
    INFO: 'info',
    WARN: 'warn',
    ERROR: 'error',
  };
  const tracing = startTracing(config, 'tally-worker');
  // The SDK's own worker metrics, read by our /metrics server; none when WORKER_METRICS_PORT=0.
  const temporalMetrics = config.WORKER_METRICS_PORT === 0 ? undefined : await temporalRuntimeMetrics();
  Runtime.install({
    // This process decides when to stop (below), not the SDK's own signal handlers.
    shutdownSignals: [],
    ...(temporalMetrics && { telemetryOptions: temporalMetrics.telemetryOptions }),
    logger: new DefaultLogger('INFO', (entry) => {
      // The webhook Worker runs activities only, by design; the SDK warns about that at every start.
      const level = entry.message === ACTIVITY_ONLY_NOTICE ? 'debug' : sdkLevels[entry.level];
      logger[level]({ ...entry.meta, temporal: true }, entry.message);
    }),
  });
  await prepareDatabase(config);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new PinoNestLogger(logger),
  });
  let metrics: WorkerMetricsServer | undefined;
  if (temporalMetrics) {
    const invoices = app.get(InvoicesRepository);
    const rollup = app.get(RollupRepository);
    metrics = await startWorkerMetricsServer({
      host: config.HOST,
      port: config.WORKER_METRICS_PORT,
      token: config.TALLY_METRICS_TOKEN,
      state: new StateMetrics({
        invoiceCounts: () => invoices.countByStatus(),
        rollupBacklog: () => rollup.backlog(),
      }),
      temporalMetricsUrl: temporalMetrics.url,
    });
  }
  const { worker, connection } = await createTallyWorker(app, config, { tracing });
  const stop = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(
    `tally worker polling task queues '${config.TEMPORAL_TASK_QUEUE}' and '${webhookTaskQueue(config.TEMPORAL_TASK_QUEUE)}' on ${config.temporalAddress}` +
      (metrics ? ` (metrics: http://${config.HOST}:${metrics.port}/metrics)` : ''),
  );
  try {
    await worker.run();
  } finally {
    await connection.close();
    await app.close();
    await metrics?.close();
    await tracing?.shutdown();
  }
});
