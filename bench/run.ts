import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/config/project-root.js';
import { createBenchMerchant, freshDatabase, startApiProcess } from './support/api-process.js';
import { load } from './support/load.js';

/**
 * `npm run bench`: the compiled API in its own process on a fresh database, loaded over HTTP
 * from this process. Prints the figures and writes them to bench/results/latest.json.
 * Compare runs by ratios: absolute numbers move with whatever else the machine does.
 */
async function main(): Promise<void> {
  const api = await startApiProcess(await freshDatabase('tally_bench'));
  const figures: Record<string, number> = {};
  try {
    const key = await createBenchMerchant(api.baseUrl);
    const auth = { authorization: `Bearer ${key}` };
    const scenarios = {
      // The framework's floor: no authentication, no database.
      healthz: () => load({ url: `${api.baseUrl}/healthz` }),
      // Authentication (cached) and one indexed read.
      list_customers: () => load({ url: `${api.baseUrl}/v1/customers?limit=10`, headers: auth }),
      // Authentication, validation and one insert.
      create_customer: () =>
        load({
          url: `${api.baseUrl}/v1/customers`,
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Bench', email: 'bench@example.com', metadata: { tier: 'gold' } }),
        }),
    };
    for (const [name, run] of Object.entries(scenarios)) {
      const result = await run();
      if (result.errors > 0 || result.non2xx > 0) {
        throw new Error(`${name}: ${result.errors} errors and ${result.non2xx} non-2xx answers`);
      }
      figures[`${name}_requests_per_s`] = result.requestsPerSecond;
      figures[`${name}_p50_ms`] = result.p50Ms;
      figures[`${name}_p99_ms`] = result.p99Ms;
      console.log(
        `${name.padEnd(16)} ${String(result.requestsPerSecond).padStart(7)} req/s   p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms`,
      );
    }
    figures.api_peak_rss_mb = api.peakRssMb();
    console.log(`API peak RSS     ${figures.api_peak_rss_mb} MiB`);
  } finally {
    await api.stop();
  }
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'latest.json'),
    `${JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2)}\n`,
  );
  console.log('figures written to bench/results/latest.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
