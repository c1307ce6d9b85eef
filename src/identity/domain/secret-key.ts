import { createHash, randomBytes } from 'node:crypto';
import type { KeyAccess } from './key-access.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 32; // base62 × 32 ≈ 190 bits

/** `sk_` for a full (secret) key, `rk_` for a restricted one, as elsewhere. */
export function keyPrefix(access: KeyAccess): string {
  return access === 'full' ? 'sk_test_' : 'rk_test_';
}

/** A new test-mode key: its prefix and 32 random base62 characters. */
export function generateSecretKey(access: KeyAccess = 'full'): string {
  // Rejection sampling keeps every character uniformly likely (256 is not a multiple of 62).
  let body = '';
  while (body.length < SECRET_LENGTH) {
    for (const byte of randomBytes(SECRET_LENGTH * 2)) {
      if (byte < 248 && body.length < SECRET_LENGTH) body += ALPHABET[byte % 62];
    }
  }
  return `${keyPrefix(access)}${body}`;
}

export function looksLikeSecretKey(value: string): boolean {
  return /^[sr]k_(test|live)_[A-Za-z0-9]{16,128}$/.test(value);
}

/** What is stored for a key. */
export function hashSecretKey(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function secretKeyHint(secret: string): string {
  return secret.slice(-4);
}
