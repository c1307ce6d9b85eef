import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { TallyConfig } from '../config/config.js';
import { dataSourceOptions } from './data-source-options.js';

/** Any fixed number; the same in every process, so concurrent starts migrate one at a time. */
const MIGRATION_LOCK_KEY = 7_305_011;

/** Creates the database named in `url` when it does not exist yet (safe when several processes race). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`DATABASE_URL names no database: ${url}`);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client
        .query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`)
        .catch((error: { code?: string }) => {
          if (error.code !== '42P04') throw error; // created meanwhile by another process
        });
    }
  } finally {
    await client.end();
  }
}

/** Runs pending migrations while holding an advisory lock, so an API and a worker starting together don't collide. */
export async function migrate(url: string, dataSource: DataSource): Promise<string[]> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations();
    return applied.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}

/** Creates the database if absent and applies pending migrations; every process calls this on start. */
export async function prepareDatabase(config: Pick<TallyConfig, 'DATABASE_URL'>): Promise<void> {
  await ensureDatabaseExists(config.DATABASE_URL);
  const dataSource = new DataSource({
    ...dataSourceOptions({ ...config, DATABASE_POOL_SIZE: 1 }),
    logging: false,
  });
  await dataSource.initialize();
  try {
    await migrate(config.DATABASE_URL, dataSource);
  } finally {
    await dataSource.destroy();
  }
}
