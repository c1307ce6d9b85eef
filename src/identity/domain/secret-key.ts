import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 32; // base62 × 32 ≈ 190 bits

/** A new test-mode secret key: `sk_test_` and 32 random base62 characters. */
export function generateSecretKey(): string {
  // Rejection sampling keeps every character uniformly likely (256 is not a multiple of 62).
  let body = '';
  while (body.length < SECRET_LENGTH) {
    for (const byte of randomBytes(SECRET_LENGTH * 2)) {
      if (byte < 248 && body.length < SECRET_LENGTH) body += ALPHABET[byte % 62];
    }
  }
  return `sk_test_${body}`;
}

export function looksLikeSecretKey(value: string): boolean {
  return /^sk_(test|live)_[A-Za-z0-9]{16,128}$/.test(value);
}

/** What is stored for a key. */
export function hashSecretKey(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function secretKeyHint(secret: string): string {
  return secret.slice(-4);
}
