import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { decodeHistory, HISTORIES_DIR, HISTORY_EXTENSION } from '../support/recorded-histories.js';
import { testEnv } from '../support/test-env.js';

/**
 * Determinism: histories recorded from earlier versions of the workflows (`RECORD_HISTORIES=1
 * npm test` writes them) must replay against today's workflow code, or running workflows break.
 */
describe('recorded workflow histories replay against the current workflow code', () => {
  const files = readdirSync(HISTORIES_DIR).filter((file) => file.endsWith(HISTORY_EXTENSION));

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files)('%s replays', async (file) => {
    const history = decodeHistory(readFileSync(join(HISTORIES_DIR, file)));
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: testEnv('workflowBundle') } },
      history,
      `recorded/${file}`,
    );
  });
});
