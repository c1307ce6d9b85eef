import { inspect } from 'node:util';
import fc from 'fast-check';
import { parseKeyring, SecretBox, SecretBoxError, type SecretBoxErrorCode } from './secret-box.js';

const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);
const box = new SecretBox([{ id: 'kid1', key: KEY_A }]);
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw2n0hV3fS/Ko=';

function failureOf(work: () => unknown): SecretBoxErrorCode {
  try {
    work();
  } catch (error) {
    if (error instanceof SecretBoxError) return error.code;
    throw error;
  }
  throw new Error('expected a SecretBoxError');
}

describe('SecretBox', () => {
  it('seals into enc:v1:<key id>:<iv>:<ciphertext>:<tag> and opens it again', () => {
    const sealed = box.seal(secret);
    expect(sealed).toMatch(/^enc:v1:kid1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+:[A-Za-z0-9_-]{22}$/);
    expect(box.open(sealed)).toBe(secret);
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal(secret)).not.toBe(box.seal(secret));
  });

  it('seals with the first key and opens with any', () => {
    const old = new SecretBox([{ id: 'kid0', key: KEY_B }]);
    const rotated = new SecretBox([
      { id: 'kid1', key: KEY_A },
      { id: 'kid0', key: KEY_B },
    ]);
    expect(rotated.open(old.seal(secret))).toBe(secret);
    expect(rotated.seal(secret)).toMatch(/^enc:v1:kid1:/);
    expect(rotated.isCurrent(rotated.seal(secret))).toBe(true);
    expect(rotated.isCurrent(old.seal(secret))).toBe(false);
    expect(rotated.isCurrent(secret)).toBe(false);
  });

  it.each([
    ['a Standard Webhooks secret', secret],
    ['an empty string', ''],
    ['anything else without the prefix', 'whsec_legacy:with:colons'],
  ])('answers %s stored before encryption as it is', (_what, legacy) => {
    expect(box.open(legacy)).toBe(legacy);
  });

  const sealed = box.seal(secret);
  const [, , , iv, ciphertext, tag] = sealed.split(':') as string[];
  it.each<[string, string, SecretBoxErrorCode]>([
    ['an unknown key id', `enc:v1:kid9:${iv}:${ciphertext}:${tag}`, 'secret_key_unknown'],
    ['an unknown format', `enc:v2:kid1:${iv}:${ciphertext}:${tag}`, 'secret_format_unknown'],
    ['a missing part', `enc:v1:kid1:${iv}:${ciphertext}`, 'secret_format_unknown'],
    ['an extra part', `${sealed}:AAAA`, 'secret_format_unknown'],
    ['a short IV', `enc:v1:kid1:${iv!.slice(4)}:${ciphertext}:${tag}`, 'secret_unreadable'],
    ['a short tag', `enc:v1:kid1:${iv}:${ciphertext}:${tag!.slice(2)}`, 'secret_unreadable'],
    ['a non-base64url character', `enc:v1:kid1:${iv}:${ciphertext}!:${tag}`, 'secret_unreadable'],
    ['a truncated ciphertext', `enc:v1:kid1:${iv}:${ciphertext!.slice(1)}:${tag}`, 'secret_unreadable'],
  ])('refuses %s with a clear error', (_what, value, code) => {
    expect(failureOf(() => box.open(value))).toBe(code);
  });

  it('refuses a value sealed under another key that bears a known id', () => {
    const impostor = new SecretBox([{ id: 'kid1', key: KEY_B }]);
    expect(failureOf(() => box.open(impostor.seal(secret)))).toBe('secret_unreadable');
  });

  it('binds the key id: a value relabelled with another known id fails its tag', () => {
    const both = new SecretBox([
      { id: 'kid1', key: KEY_A },
      { id: 'kid0', key: KEY_A },
    ]);
    const relabelled = both.seal(secret).replace('enc:v1:kid1:', 'enc:v1:kid0:');
    expect(failureOf(() => both.open(relabelled))).toBe('secret_unreadable');
  });

  it('names key ids, never key bytes, when logged or serialised', () => {
    const shown = `${inspect(box, { showHidden: true, depth: 5 })} ${JSON.stringify(box)} ${String(box)}`;
    expect(shown).toContain('kid1');
    expect(shown).not.toContain(KEY_A.toString('base64'));
    expect(shown).not.toContain(KEY_A.toString('hex'));
    expect(shown).not.toMatch(/161, 161|a1 a1/);
  });

  it('copies the keys it is given', () => {
    const key = Buffer.from(KEY_A);
    const own = new SecretBox([{ id: 'k', key }]);
    const value = own.seal(secret);
    key.fill(0);
    expect(own.open(value)).toBe(secret);
  });

  it.each([
    ['no keys', []],
    ['a short key', [{ id: 'k', key: Buffer.alloc(16) }]],
    ['a bad id', [{ id: 'k:1', key: KEY_A }]],
    [
      'a repeated id',
      [
        { id: 'k', key: KEY_A },
        { id: 'k', key: KEY_B },
      ],
    ],
  ])('cannot be made with %s', (_what, entries) => {
    expect(() => new SecretBox(entries)).toThrow();
  });
});

describe('SecretBox properties', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 200 });
  const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes));

  it('opens what it sealed, for any text and key', () => {
    fc.assert(
      fc.property(text, key, (plaintext, bytes) => {
        const any = new SecretBox([{ id: 'k', key: bytes }]);
        expect(any.open(any.seal(plaintext))).toBe(plaintext);
      }),
    );
  });

  it('never contains the plaintext in what it stores', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 16, maxLength: 200 }), (plaintext) => {
        expect(box.seal(plaintext)).not.toContain(plaintext);
      }),
    );
  });

  it('fails on any change to the stored value after the prefix', () => {
    const alphabet = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:!'.split(''),
    );
    fc.assert(
      fc.property(text, fc.nat(), alphabet, (plaintext, at, replacement) => {
        const stored = box.seal(plaintext);
        const index = 'enc:'.length + (at % (stored.length - 'enc:'.length));
        fc.pre(stored[index] !== replacement);
        const tampered = stored.slice(0, index) + replacement + stored.slice(index + 1);
        expect(() => box.open(tampered)).toThrow(SecretBoxError);
      }),
    );
  });

  it('never opens a tampered value to the original plaintext, prefix included', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (plaintext, at, replacement) => {
        const stored = box.seal(plaintext);
        const index = at % stored.length;
        fc.pre(stored[index] !== replacement);
        const tampered = stored.slice(0, index) + replacement + stored.slice(index + 1);
        let opened: string | undefined;
        try {
          opened = box.open(tampered);
        } catch (error) {
          expect(error).toBeInstanceOf(SecretBoxError);
        }
        expect(opened).not.toBe(plaintext);
      }),
    );
  });

  it('answers any value without the prefix as it is', () => {
    fc.assert(
      fc.property(text, (value) => {
        fc.pre(!value.startsWith('enc:'));
        expect(box.open(value)).toBe(value);
      }),
    );
  });
});

describe('parseKeyring', () => {
  const a = KEY_A.toString('base64');
  const b = KEY_B.toString('base64');

  it('reads entries in order, the first one sealing', () => {
    const parsed = parseKeyring(`kid1:${a}, kid0:${b}`);
    expect(parsed).toEqual({
      ok: true,
      entries: [
        { id: 'kid1', key: KEY_A },
        { id: 'kid0', key: KEY_B },
      ],
    });
  });

  it.each([
    ['no colon', a, 'entry 1 must be <key id>:<base64 key>'],
    ['an empty id', `:${a}`, 'entry 1: the key id must be'],
    ['a bad id character', `kid 1:${a}`, 'entry 1: the key id must be'],
    ['an id over 32 characters', `${'k'.repeat(33)}:${a}`, 'entry 1: the key id must be'],
    ['a repeated id', `kid1:${a},kid1:${b}`, 'entry 2: key id kid1 appears more than once'],
    ['a 16-byte key', `kid1:${Buffer.alloc(16).toString('base64')}`, 'entry 1 (kid1): the key must be'],
    ['a 33-byte key', `kid1:${Buffer.alloc(33).toString('base64')}`, 'entry 1 (kid1): the key must be'],
    ['a base64url key', `kid1:${Buffer.alloc(32, 0xff).toString('base64url')}`, 'entry 1 (kid1)'],
    ['an unpadded key', `kid1:${a.slice(0, -1)}`, 'entry 1 (kid1)'],
    ['a key that is not canonical base64', `kid1:${a.slice(0, -2)}B=`, 'entry 1 (kid1)'],
    ['an empty entry', `kid1:${a},`, 'entry 2 must be'],
    ['nothing at all', '', 'entry 1 must be'],
  ])('refuses %s, naming the entry but not the key', (_what, text, problem) => {
    const parsed = parseKeyring(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.join('; ')).toContain(problem);
    expect(parsed.problems.join('; ')).not.toContain(a);
    expect(parsed.problems.join('; ')).not.toContain(a.slice(0, 20));
  });

  it('reports every bad entry at once', () => {
    const parsed = parseKeyring('a:short,b b:x');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems).toHaveLength(2);
  });
});
