import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import type { TallyConfig } from '../config/config.js';
import { devServerSearchAttributeArgs } from './search-attributes.registry.js';

export const EMBEDDED_TEMPORAL_ADDRESS = '127.0.0.1:7233';

function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`temporal server start-dev exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`Temporal did not start within ${timeoutMs} ms: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/**
 * Runs `temporal server start-dev` for `npm start` on embedded defaults: SQLite under
 * TALLY_DATA_DIR, the Web UI, Tally's search attributes registered. Resolves once it serves.
 */
export async function startEmbeddedTemporal(config: TallyConfig): Promise<ChildProcess> {
  if (!existsSync(config.TEMPORAL_CLI_PATH)) {
    throw new Error(
      `The Temporal CLI is not at ${config.TEMPORAL_CLI_PATH}: run \`npm start\` (it installs it) or set TEMPORAL_ADDRESS.`,
    );
  }
  if (await portInUse(7233)) {
    throw new Error(
      'Port 7233 is already in use: stop what runs there, or set TEMPORAL_ADDRESS=127.0.0.1:7233 to use that Temporal server.',
    );
  }
  mkdirSync(config.TALLY_DATA_DIR, { recursive: true });
  const child = spawn(
    config.TEMPORAL_CLI_PATH,
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      '7233',
      '--ui-port',
      String(config.TEMPORAL_UI_PORT),
      '--db-filename',
      join(config.TALLY_DATA_DIR, 'temporal.sqlite'),
      '--namespace',
      config.TEMPORAL_NAMESPACE,
      '--log-level',
      'warn',
      ...devServerSearchAttributeArgs(),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  await waitUntilServing(EMBEDDED_TEMPORAL_ADDRESS, child, 60_000);
  return child;
}
