import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig, loadDotEnvFile } from './config/config.js';
import { TallyConfigService } from './config/config.module.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { runMain } from './process/run-main.js';
import { WebhookEndpointsRepository } from './webhooks/webhook-endpoints.repository.js';
import { WebhookSecretReencryption } from './webhooks/webhook-secret-reencryption.js';
import { WebhookSecrets } from './webhooks/webhook-secrets.js';

/**
 * `npm run webhooks:reencrypt`: the rotation step of WEBHOOK_SECRET_KEYS. Reseals every webhook
 * endpoint secret under the first key, safe beside running processes and to repeat. Exit code 0
 * when none is left on another key (the old keys can then be dropped), 1 otherwise.
 */
runMain(async () => {
  loadDotEnvFile();
  const config = loadConfig();
  const dataSource = await new DataSource(
    dataSourceOptions({ ...config, DATABASE_POOL_SIZE: 1 }),
  ).initialize();
  try {
    const secrets = new WebhookSecrets(new TallyConfigService(config));
    const reencryption = new WebhookSecretReencryption(new WebhookEndpointsRepository(dataSource), secrets);
    const report = await reencryption.reencryptAll();
    console.log(
      `tally: ${report.resealed} webhook endpoint${report.resealed === 1 ? '' : 's'} resealed under key ${report.keyId}; ` +
        `${report.unreadable} left unreadable.`,
    );
    for (const problem of report.problems) console.error(`tally: ${problem}`);
    if (report.unreadable > 0) process.exitCode = 1;
  } finally {
    await dataSource.destroy();
  }
});
