import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import proto from '@temporalio/proto';
import { projectRoot } from '../../src/config/project-root.js';

export const HISTORIES_DIR = join(projectRoot(), 'test', 'fixtures', 'histories');
export const HISTORY_EXTENSION = '.history.pb';

const { History } = proto.temporal.api.history.v1;

/**
 * With RECORD_HISTORIES=1, keeps a finished workflow's history (protobuf-encoded) under
 * test/fixtures/histories, where test/integration/workflow-replay.test.ts replays every one
 * against the current workflow code: a change that would break running workflows fails there
 * (and needs `patched()`).
 */
export function recordHistory(name: string, history: proto.temporal.api.history.v1.IHistory): void {
  if (!process.env.RECORD_HISTORIES) return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(join(HISTORIES_DIR, `${name}${HISTORY_EXTENSION}`), History.encode(history).finish());
}

export function decodeHistory(bytes: Uint8Array): proto.temporal.api.history.v1.History {
  return History.decode(bytes);
}
