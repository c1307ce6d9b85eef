import { generateSecretKey, hashSecretKey, looksLikeSecretKey, secretKeyHint } from './secret-key.js';

describe('generateSecretKey', () => {
  it('is sk_test_ followed by 32 base62 characters', () => {
    for (let i = 0; i < 200; i++) expect(generateSecretKey()).toMatch(/^sk_test_[0-9A-Za-z]{32}$/);
  });

  it('never repeats over many keys', () => {
    const keys = Array.from({ length: 5000 }, () => generateSecretKey());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('uses the whole base62 alphabet', () => {
    const seen = new Set(
      Array.from({ length: 500 }, () => generateSecretKey().slice('sk_test_'.length)).join(''),
    );
    expect(seen.size).toBe(62);
  });

  it('produces keys that look like secret keys', () => {
    expect(looksLikeSecretKey(generateSecretKey())).toBe(true);
  });

  it.each([
    ['full', /^sk_test_[0-9A-Za-z]{32}$/],
    ['read', /^rk_test_[0-9A-Za-z]{32}$/],
    ['ingest', /^rk_test_[0-9A-Za-z]{32}$/],
  ] as const)('gives a %s key the prefix of its kind', (access, pattern) => {
    const key = generateSecretKey(access);
    expect(key).toMatch(pattern);
    expect(looksLikeSecretKey(key)).toBe(true);
  });
});

describe('looksLikeSecretKey', () => {
  it.each([
    ['sk_test_' + 'a'.repeat(32), true],
    ['sk_live_' + 'A1'.repeat(16), true],
    ['sk_test_' + 'a'.repeat(16), true],
    ['sk_test_' + 'a'.repeat(128), true],
    ['sk_test_' + 'a'.repeat(15), false],
    ['sk_test_' + 'a'.repeat(129), false],
    ['sk_prod_' + 'a'.repeat(32), false],
    ['pk_test_' + 'a'.repeat(32), false],
    ['rk_test_' + 'a'.repeat(32), true],
    ['rk_live_' + 'a'.repeat(32), true],
    ['xk_test_' + 'a'.repeat(32), false],
    ['sk_test_' + 'a'.repeat(31) + '-', false],
    ['Bearer sk_test_' + 'a'.repeat(32), false],
    ['sk_test_' + 'a'.repeat(32) + '\n', false],
    ['', false],
  ])('looksLikeSecretKey(%j) is %s', (value, expected) => {
    expect(looksLikeSecretKey(value)).toBe(expected);
  });
});

describe('hashSecretKey', () => {
  it('is a deterministic 32-byte digest', () => {
    const key = generateSecretKey();
    const hash = hashSecretKey(key);
    expect(Buffer.isBuffer(hash)).toBe(true);
    expect(hash).toHaveLength(32);
    expect(hashSecretKey(key).equals(hash)).toBe(true);
  });

  it('is SHA-256 of the key', () => {
    expect(hashSecretKey('abc').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('differs for different keys', () => {
    const keys = Array.from({ length: 500 }, () => generateSecretKey());
    const hashes = new Set(keys.map((key) => hashSecretKey(key).toString('hex')));
    expect(hashes.size).toBe(keys.length);
    expect(hashSecretKey('sk_test_a').equals(hashSecretKey('sk_test_b'))).toBe(false);
  });

  it('does not contain the key in the clear', () => {
    const key = generateSecretKey();
    expect(hashSecretKey(key).toString('utf8')).not.toContain(key);
  });
});

describe('secretKeyHint', () => {
  it.each([
    ['sk_test_abcdefghijklmnopqrstuvwxyz123456', '3456'],
    ['sk_live_0000000000000000WXYZ', 'WXYZ'],
  ])('gives the last four characters of %s', (key, hint) => {
    expect(secretKeyHint(key)).toBe(hint);
  });

  it('is the last four characters of a generated key', () => {
    const key = generateSecretKey();
    expect(secretKeyHint(key)).toHaveLength(4);
    expect(key.endsWith(secretKeyHint(key))).toBe(true);
  });
});
