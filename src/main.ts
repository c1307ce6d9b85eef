import 'reflect-metadata';
import { loadConfig, loadDotEnvFile } from './config/config.js';
import { prepareDatabase } from './database/prepare-database.js';
import { createHttpApp } from './http-app.js';
import { startTracing } from './observability/tracing.js';
import { runMain } from './process/run-main.js';

/** The API process: NestJS on Fastify. */
runMain(async () => {
  loadDotEnvFile();
  const config = loadConfig();
  // Before anything else, so the spans of the first requests are not lost; off unless OTEL_EXPORTER_OTLP_ENDPOINT.
  const tracing = startTracing(config, 'tally-api');
  await prepareDatabase(config);
  const app = await createHttpApp(config);
  if (tracing)
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onClose', () => tracing.shutdown());
  await app.listen({ port: config.PORT, host: config.HOST });
  console.log(`tally api listening on http://${config.HOST}:${config.PORT} (docs: /docs)`);
});
