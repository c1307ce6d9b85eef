#!/usr/bin/env node
// `npm run check` (tables): every table has one owning context, the folder under src/ whose
// entity declares it, and only that context's code names the table in SQL or hands its entity
// to TypeORM. Other contexts ask the owner through its services. Plain Node, no dependencies.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const src = join(root, 'src');

/** Contexts that share a table, and why. Keep this short. */
const SHARED_OWNERS = {
  // Metering ingests events and serves them to the events API; the usage ledger owns their lifecycle.
  billing_metric_events: ['usage'],
};

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) yield path;
  }
}

const contextOf = (path) => relative(src, path).split(sep)[0];
const sources = [...files(src)].map((path) => ({ path, text: readFileSync(path, 'utf8') }));

const owners = new Map();
const entityTables = new Map();
for (const { path, text } of sources) {
  const table = /@Entity\(\{\s*name:\s*'([a-z_]+)'/.exec(text)?.[1];
  const entity = /export class (\w+Entity)\b/.exec(text)?.[1];
  if (!table) continue;
  owners.set(table, [contextOf(path), ...(SHARED_OWNERS[table] ?? [])]);
  if (entity) entityTables.set(entity, table);
}

// Wiring that names every table by design (migrations, the entity list), and the diagnostics
// round trip, which only reads, to prove that the worker reaches the database.
const exempt = (path) => ['database', 'diagnostics'].includes(contextOf(path));

const crossings = [];
for (const { path, text } of sources) {
  if (exempt(path)) continue;
  const context = contextOf(path);
  const named = new Set();
  for (const match of text.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+"?([a-z_]+)"?/g))
    named.add(match[1]);
  for (const match of text.matchAll(
    /\b(?:insert|update|delete|upsert|save|find\w*|count\w*|exist\w*|getRepository|createQueryBuilder|increment|decrement)\(\s*(\w+Entity)\b/g,
  )) {
    const table = entityTables.get(match[1]);
    if (table) named.add(table);
  }
  for (const table of named) {
    const owning = owners.get(table);
    if (owning && !owning.includes(context))
      crossings.push({ file: relative(root, path), table, owner: owning[0] });
  }
}

for (const c of crossings)
  console.error(`${c.file} names ${c.table}, a table of ${c.owner}: ask ${c.owner}'s services instead`);
if (crossings.length > 0) process.exit(1);
console.log(`tables: ${owners.size} tables, each named only by its owner`);
