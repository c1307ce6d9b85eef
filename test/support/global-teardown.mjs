// Stops what the global setup started; Jest runs this even when tests fail.
import pg from 'pg';

export default async function globalTeardown() {
  await globalThis.__TALLY_TEMPORAL__?.teardown();
  globalThis.__TALLY_TEMPORAL__ = undefined;
  const template = process.env.TALLY_TEST_TEMPLATE_DATABASE;
  if (!template) return;
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tally');
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
