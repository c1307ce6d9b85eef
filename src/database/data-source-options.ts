import type { DataSourceOptions } from 'typeorm';
import type { TallyConfig } from '../config/config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';

/** One definition of how Tally talks to PostgreSQL; `synchronize` is never on. */
export function dataSourceOptions(
  config: Pick<TallyConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'tally_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize: config.DATABASE_POOL_SIZE,
    extra: { application_name: 'tally' },
  };
}
