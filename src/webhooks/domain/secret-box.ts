import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets at rest: AES-256-GCM under a keyring whose first key seals and whose
 * every key opens. A sealed value names its format and key, so keys can be rotated row by row:
 *
 *   enc:v1:<key id>:<base64url IV (12 bytes)>:<base64url ciphertext>:<base64url tag (16 bytes)>
 *
 * The `enc:v1:<key id>` head is the additional authenticated data, so a value cannot be moved to
 * another key id (or format) without failing its tag. Anything not starting with `enc:` is a
 * secret stored before encryption and opens as itself.
 */

export const SEALED_PREFIX = 'enc:';
const FORMAT = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export type SecretBoxErrorCode = 'secret_format_unknown' | 'secret_key_unknown' | 'secret_unreadable';

/** A sealed value that cannot be opened; the message names the key id, never a secret. */
export class SecretBoxError extends Error {
  constructor(
    readonly code: SecretBoxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export interface KeyringEntry {
  id: string;
  key: Buffer;
}

/**
 * Parses `kid1:<base64 of 32 bytes>,kid0:<…>` (first entry seals, all open). Problems name the
 * entry and its key id, never the key.
 */
export function parseKeyring(
  text: string,
): { ok: true; entries: KeyringEntry[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const entries: KeyringEntry[] = [];
  const seen = new Set<string>();
  const parts = text.split(',').map((part) => part.trim());
  parts.forEach((part, index) => {
    const where = `entry ${index + 1}`;
    const colon = part.indexOf(':');
    if (colon < 0) {
      problems.push(`${where} must be <key id>:<base64 key>`);
      return;
    }
    const id = part.slice(0, colon);
    const encoded = part.slice(colon + 1);
    if (!KEY_ID.test(id)) {
      problems.push(`${where}: the key id must be 1 to 32 letters, digits, "_" or "-"`);
      return;
    }
    if (seen.has(id)) problems.push(`${where}: key id ${id} appears more than once`);
    seen.add(id);
    const key = Buffer.from(encoded, 'base64');
    if (!BASE64_KEY.test(encoded) || key.length !== KEY_BYTES || key.toString('base64') !== encoded) {
      problems.push(
        `${where} (${id}): the key must be the base64 of exactly 32 bytes (e.g. \`openssl rand -base64 32\`)`,
      );
      return;
    }
    entries.push({ id, key });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, entries };
}

function encode(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** Strict base64url: a changed or added character is an error, never silently dropped. */
function decode(text: string, length?: number): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) return null;
  if (length !== undefined && bytes.length !== length) return null;
  return bytes;
}

/**
 * A keyring that seals with its first key and opens with any. Keys live in a private field, so
 * logging or serialising the box shows its key ids only.
 */
export class SecretBox {
  readonly #keys: ReadonlyMap<string, Buffer>;
  /** The key id new values are sealed with. */
  readonly currentKeyId: string;

  constructor(entries: readonly KeyringEntry[]) {
    if (entries.length === 0) throw new Error('a SecretBox needs at least one key');
    const keys = new Map<string, Buffer>();
    for (const { id, key } of entries) {
      if (!KEY_ID.test(id)) throw new Error(`key id ${JSON.stringify(id)} is not valid`);
      if (key.length !== KEY_BYTES) throw new Error(`key ${id} must be ${KEY_BYTES} bytes`);
      if (keys.has(id)) throw new Error(`key id ${id} appears more than once`);
      keys.set(id, Buffer.from(key));
    }
    this.#keys = keys;
    this.currentKeyId = entries[0]!.id;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** Seals with the current key and a fresh random IV: sealing twice gives two values. */
  seal(plaintext: string): string {
    const head = `${SEALED_PREFIX}${FORMAT}:${this.currentKeyId}`;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.currentKeyId)!, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(Buffer.from(head, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${head}:${encode(iv)}:${encode(ciphertext)}:${encode(cipher.getAuthTag())}`;
  }

  /** The plaintext of a sealed value; a value without the `enc:` prefix is legacy plaintext, answered as is. */
  open(stored: string): string {
    if (!isSealed(stored)) return stored;
    const parts = stored.split(':');
    if (parts.length !== 6 || parts[1] !== FORMAT) {
      throw new SecretBoxError(
        'secret_format_unknown',
        `A sealed secret is not in the ${SEALED_PREFIX}${FORMAT}: format this version reads.`,
      );
    }
    const [, , keyId, ivText, ciphertextText, tagText] = parts as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const key = this.#keys.get(keyId);
    if (!key) {
      throw new SecretBoxError(
        'secret_key_unknown',
        `A secret is sealed with key id ${JSON.stringify(keyId)}, which the keyring (${this.keyIds.join(', ')}) does not hold; ` +
          'add that key to WEBHOOK_SECRET_KEYS after the current one.',
      );
    }
    const iv = decode(ivText, IV_BYTES);
    const ciphertext = decode(ciphertextText);
    const tag = decode(tagText, TAG_BYTES);
    const unreadable = new SecretBoxError(
      'secret_unreadable',
      `A secret sealed with key id ${keyId} does not authenticate: it was altered, or that id now names another key.`,
    );
    if (!iv || !ciphertext || !tag) throw unreadable;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(`${SEALED_PREFIX}${FORMAT}:${keyId}`, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw unreadable;
    }
  }

  /** Whether `stored` is sealed with the current key (else re-encryption should rewrite it). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${SEALED_PREFIX}${FORMAT}:${this.currentKeyId}:`);
  }

  toJSON(): { currentKeyId: string; keyIds: string[] } {
    return { currentKeyId: this.currentKeyId, keyIds: this.keyIds };
  }
}

/** Whether a stored value is sealed (of any format), as opposed to legacy plaintext. */
export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}
