import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeyring, SecretBox } from './domain/secret-box.js';

export const DEVELOPMENT_KEYS_FILE = 'webhook-secret-keys';

/**
 * Outside production, with WEBHOOK_SECRET_KEYS unset: the keyring kept in
 * `<dataDir>/webhook-secret-keys`, made on first use (one key, in WEBHOOK_SECRET_KEYS' format).
 * The API and the worker start at the same moment, so the file is created whole or not at all
 * (written aside, then hard-linked into place): whoever comes second reads the first one's key.
 */
export function developmentSecretBox(dataDir: string): SecretBox {
  const file = join(dataDir, DEVELOPMENT_KEYS_FILE);
  mkdirSync(dataDir, { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, `dev-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}\n`, {
    mode: 0o600,
  });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  const parsed = parseKeyring(readFileSync(file, 'utf8').trim());
  if (!parsed.ok) {
    throw new Error(
      `${file} is not a webhook keyring (${parsed.problems.join('; ')}); ` +
        'restore it, or set WEBHOOK_SECRET_KEYS (webhook secrets sealed with a lost key cannot be read).',
    );
  }
  return new SecretBox(parsed.entries);
}
