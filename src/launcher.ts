import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig, loadDotEnvFile, type TallyConfig } from './config/config.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { prepareDatabase } from './database/prepare-database.js';
import { IdentityRepository } from './identity/identity.repository.js';
import { IdentityService } from './identity/identity.service.js';
import { runMain } from './process/run-main.js';
import { EMBEDDED_TEMPORAL_ADDRESS, startEmbeddedTemporal } from './temporal/dev-server.js';

/** The development key: TALLY_DEV_API_KEY, else the one printed last time (kept in .tally/), else a new one. */
async function developmentKey(config: TallyConfig): Promise<string> {
  const keyFile = join(config.TALLY_DATA_DIR, 'dev-api-key');
  const saved = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined;
  const dataSource = await new DataSource(
    dataSourceOptions({ ...config, DATABASE_POOL_SIZE: 1 }),
  ).initialize();
  try {
    const identity = new IdentityService(new IdentityRepository(dataSource));
    const { secretKey } = await identity.ensureDevelopmentMerchant(config.TALLY_DEV_API_KEY ?? saved);
    mkdirSync(config.TALLY_DATA_DIR, { recursive: true });
    writeFileSync(keyFile, `${secretKey}\n`, { mode: 0o600 });
    return secretKey;
  } finally {
    await dataSource.destroy();
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** `npm start`: Temporal (embedded unless TEMPORAL_ADDRESS is set), the API and the worker, stopped together. */
runMain(async () => {
  loadDotEnvFile();
  const config = loadConfig();
  await prepareDatabase(config);
  const key = await developmentKey(config);
  const temporal = config.TEMPORAL_ADDRESS ? undefined : await startEmbeddedTemporal(config);
  const env = { ...process.env, TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS ?? EMBEDDED_TEMPORAL_ADDRESS };
  const apps = ['main.js', 'worker.js'].map((file) =>
    spawn(process.execPath, [join(import.meta.dirname, file)], { env, stdio: 'inherit' }),
  );

  let stopping = false;
  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    for (const app of apps) app.kill('SIGTERM');
    await Promise.all(apps.map((app) => waitForExit(app, 20_000)));
    if (temporal) {
      temporal.kill('SIGTERM');
      await waitForExit(temporal, 10_000);
    }
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  for (const child of [...apps, ...(temporal ? [temporal] : [])]) {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(
        `tally: a process stopped unexpectedly (code ${code}, signal ${signal}); stopping the rest.`,
      );
      void stopAll(1);
    });
  }

  const base = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
  console.log(
    [
      '',
      'Tally is starting:',
      `  API           ${base}   (OpenAPI: ${base}/docs)`,
      temporal
        ? `  Temporal UI   http://127.0.0.1:${config.TEMPORAL_UI_PORT}`
        : `  Temporal      ${config.TEMPORAL_ADDRESS}`,
      `  API key       ${key}   (development merchant; saved in .tally/dev-api-key)`,
      '',
      `  curl -H "Authorization: Bearer ${key}" ${base}/v1/customers`,
      '',
      'Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
});
