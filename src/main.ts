import 'reflect-metadata';
import { loadConfig, loadDotEnvFile } from './config/config.js';
import { prepareDatabase } from './database/prepare-database.js';
import { createHttpApp } from './http-app.js';
import { runMain } from './process/run-main.js';

/** The API process: NestJS on Fastify. */
runMain(async () => {
  loadDotEnvFile();
  const config = loadConfig();
  await prepareDatabase(config);
  const app = await createHttpApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  console.log(`tally api listening on http://${config.HOST}:${config.PORT} (docs: /docs)`);
});
