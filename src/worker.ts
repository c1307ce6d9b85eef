import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Runtime } from '@temporalio/worker';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './app.module.js';
import { loadConfig } from './config/config.js';
import { prepareDatabase } from './database/prepare-database.js';
import { runMain } from './process/run-main.js';
import { createTallyWorker } from './temporal/worker.factory.js';

/** The Temporal worker process: workflows from workflows/, activities bound to Nest services. */
runMain(async () => {
  const config = loadConfig();
  // This process decides when to stop (below), not the SDK's own signal handlers.
  Runtime.install({ shutdownSignals: [] });
  await prepareDatabase(config);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const { worker, connection } = await createTallyWorker(app, config);
  const stop = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`tally worker polling task queue '${config.TEMPORAL_TASK_QUEUE}' on ${config.temporalAddress}`);
  try {
    await worker.run();
  } finally {
    await connection.close();
    await app.close();
  }
});
