import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/project-root.js';

export interface WorkerProcess {
  child: ChildProcess;
  /** Kills the process outright (SIGKILL: no shutdown, no cleanup, like a crashed machine). */
  kill: () => Promise<void>;
}

/**
 * The compiled worker (`dist/src/worker.js`, built by `npm test`'s preparation) in its own
 * process, for tests that must kill a worker for real. Resolves once it polls its task queue.
 */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const entry = join(projectRoot(), 'dist', 'src', 'worker.js');
  if (!existsSync(entry))
    throw new Error(`${entry} is missing: run the tests with npm test (it builds first)`);
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, TALLY_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the worker did not start: ${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('tally worker polling')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited with code ${code}: ${output}`));
    });
  });
  return {
    child,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
