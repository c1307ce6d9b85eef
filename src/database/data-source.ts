import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config.js';
import { dataSourceOptions } from './data-source-options.js';

/** The data source the TypeORM CLI uses (`npm run migration:*`). */
export default new DataSource(dataSourceOptions(loadConfig()));
