#!/usr/bin/env node
// `npm run migration:<generate|create|run|revert> [-- Name]` through the TypeORM CLI, on the
// compiled data source (dist/src/database/data-source.js, so decorators' metadata is exact).
// Generated files land in src/database/migrations with a timestamp; list each new one in
// src/database/migrations/index.ts.
import { spawnSync } from 'node:child_process';

const [command, name] = process.argv.slice(2);
const dataSource = ['-d', 'dist/src/database/data-source.js'];
const args = {
  generate: ['migration:generate', ...dataSource, '--pretty', `src/database/migrations/${name ?? 'Change'}`],
  create: ['migration:create', `src/database/migrations/${name ?? 'Change'}`],
  run: ['migration:run', ...dataSource],
  revert: ['migration:revert', ...dataSource],
}[command];
if (!args) {
  console.error('usage: npm run migration:<generate|create|run|revert> [-- Name]');
  process.exit(2);
}
const step = (cmd, cmdArgs) => {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (command !== 'create') step('npx', ['tsc', '-p', 'tsconfig.build.json']);
step('npx', ['typeorm', ...args]);
