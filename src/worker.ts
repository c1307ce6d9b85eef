import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { WorkerModule } from './app.module.js';
import { createRootLogger, PinoNestLogger } from './common/logging/logger.js';
import { loadConfig, loadDotEnvFile } from './config/config.js';
import { prepareDatabase } from './database/prepare-database.js';
import { runMain } from './process/run-main.js';
import { createTallyWorker } from './temporal/worker.factory.js';
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
  Runtime.install({
    // This process decides when to stop (below), not the SDK's own signal handlers.
    shutdownSignals: [],
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
  const { worker, connection } = await createTallyWorker(app, config);
  const stop = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(
    `tally worker polling task queues '${config.TEMPORAL_TASK_QUEUE}' and '${webhookTaskQueue(config.TEMPORAL_TASK_QUEUE)}' on ${config.temporalAddress}`,
  );
  try {
    await worker.run();
  } finally {
    await connection.close();
    await app.close();
  }
});
