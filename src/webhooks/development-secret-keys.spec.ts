import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVELOPMENT_KEYS_FILE, developmentSecretBox } from './development-secret-keys.js';

describe('developmentSecretBox', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'tally-dev-keys-')), 'data');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('makes a key on first use, readable by its owner only, and leaves no draft behind', () => {
    const box = developmentSecretBox(dir);
    expect(box.currentKeyId).toMatch(/^dev-[0-9a-f]{8}$/);
    const file = join(dir, DEVELOPMENT_KEYS_FILE);
    expect(readFileSync(file, 'utf8')).toMatch(/^dev-[0-9a-f]{8}:[A-Za-z0-9+/]{43}=\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([DEVELOPMENT_KEYS_FILE]);
  });

  it('keeps that key: what one process sealed, the next one opens', () => {
    const sealed = developmentSecretBox(dir).seal('whsec_dev');
    const again = developmentSecretBox(dir);
    expect(again.open(sealed)).toBe('whsec_dev');
    expect(readdirSync(dir)).toEqual([DEVELOPMENT_KEYS_FILE]);
  });

  it('stops with a clear error, and keeps the file, when the file is not a keyring', () => {
    developmentSecretBox(dir);
    const file = join(dir, DEVELOPMENT_KEYS_FILE);
    writeFileSync(file, 'garbage\n');
    expect(() => developmentSecretBox(dir)).toThrow(/webhook-secret-keys is not a webhook keyring/);
    expect(readFileSync(file, 'utf8')).toBe('garbage\n');
  });
});
