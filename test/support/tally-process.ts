import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/project-root.js';
import { TEST_WEBHOOK_SECRET_KEYS } from './test-stack.js';

export interface TallyProcess {
  child: ChildProcess;
  /** Everything it printed so far, standard output and error. */
  output: () => string;
  /** Kills the process outright (SIGKILL: no shutdown, no cleanup, like a crashed machine). */
  kill: () => Promise<void>;
}

const ENTRIES = {
  api: { file: 'main.js', ready: 'tally api listening' },
  worker: { file: 'worker.js', ready: 'tally worker polling' },
} as const;

/**
 * The compiled API or worker (`dist/src/…`, built by `npm test`'s preparation) in its own process,
 * for tests that must kill one for real. Resolves once it serves (API) or polls (worker).
 */
export async function startTallyProcess(
  kind: keyof typeof ENTRIES,
  env: Record<string, string>,
): Promise<TallyProcess> {
  const entry = join(projectRoot(), 'dist', 'src', ENTRIES[kind].file);
  if (!existsSync(entry))
    throw new Error(`${entry} is missing: run the tests with npm test (it builds first)`);
  const child = spawn(process.execPath, [entry], {
    env: {
      ...process.env,
      TALLY_ENV: 'test',
      LOG_LEVEL: 'silent',
      WEBHOOK_SECRET_KEYS: TEST_WEBHOOK_SECRET_KEYS,
      // Test files run side by side: a worker serves metrics only where its test asks for a port.
      WORKER_METRICS_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stderr.write(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${kind} did not start: ${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ENTRIES[kind].ready)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${kind} exited with code ${code}: ${output}`));
    });
  });
  return {
    child,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The compiled worker in its own process (`startTallyProcess('worker', env)`). */
export function startWorkerProcess(env: Record<string, string>): Promise<TallyProcess> {
  return startTallyProcess('worker', env);
}

/** A TCP port free right now, for a process that must come back on the same one. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
