import fc from 'fast-check';
import { ConflictError, ValidationError } from '../errors/tally-error.js';
import { idempotencyKeyReused, parseIdempotencyKey, requestFingerprint } from './idempotency-key.js';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** A small seeded generator, so a property run can reorder keys reproducibly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy of `value` with the keys of every object, at every level, in a shuffled order. */
function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(item, random));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, random)]));
  }
  return value;
}

describe('parseIdempotencyKey', () => {
  it('answers null when the header is absent', () => {
    expect(parseIdempotencyKey(undefined)).toBeNull();
  });

  it.each([
    ['a UUID', '0b6f6d8e-3f1c-4c8e-9a59-1f1f0f4f5c2a'],
    ['one character', 'k'],
    ['255 characters', 'k'.repeat(255)],
    ['every visible ASCII punctuation', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'],
  ])('accepts %s', (_label, key) => {
    expect(parseIdempotencyKey(key)).toBe(key);
  });

  it('takes the first value of a repeated header', () => {
    expect(parseIdempotencyKey(['first-key', 'second-key'])).toBe('first-key');
  });

  it.each<[string, string | string[]]>([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['with a space inside', 'my key'],
    ['with a leading space', ' key'],
    ['with a trailing space', 'key '],
    ['with a tab', 'key\t1'],
    ['with a newline', 'key\n'],
    ['with DEL', 'key\x7f'],
    ['with a NUL', 'key\x00'],
    ['with non-ASCII letters', 'clé'],
    ['with an emoji', 'key-🔑'],
    ['an empty list', []],
    ['a list whose first value is invalid', ['bad key', 'good-key']],
  ])('refuses a key %s with idempotency_key_invalid', (_label, header) => {
    const error = thrownBy(() => parseIdempotencyKey(header));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'idempotency_key_invalid', status: 400 });
  });

  it('accepts exactly the strings of 1 to 255 characters from ! to ~ (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const valid = text.length >= 1 && text.length <= 255 && [...text].every((c) => c >= '!' && c <= '~');
        if (valid) expect(parseIdempotencyKey(text)).toBe(text);
        else expect(() => parseIdempotencyKey(text)).toThrow(ValidationError);
      }),
    );
  });
});

describe('requestFingerprint', () => {
  it('is a SHA-256 hex digest', () => {
    expect(requestFingerprint({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same for objects whose keys are in another order', () => {
    expect(requestFingerprint({ a: 1, b: 'two', c: null })).toBe(
      requestFingerprint({ c: null, b: 'two', a: 1 }),
    );
  });

  it('is the same for objects whose nested keys are in another order', () => {
    const one = { customer: { id: 'cus_1', metadata: { x: '1', y: '2' } }, items: [{ p: 1, q: 2 }] };
    const other = { items: [{ q: 2, p: 1 }], customer: { metadata: { y: '2', x: '1' }, id: 'cus_1' } };
    expect(requestFingerprint(one)).toBe(requestFingerprint(other));
  });

  it('ignores keys whose value is undefined, as JSON would', () => {
    expect(requestFingerprint({ a: 1, b: undefined })).toBe(requestFingerprint({ a: 1 }));
  });

  it.each<[string, unknown, unknown]>([
    ['another number', { amount: 1 }, { amount: 2 }],
    ['a number and its text', { amount: 1 }, { amount: '1' }],
    ['null and a missing key', { a: 1, b: null }, { a: 1 }],
    ['another key', { a: 1 }, { b: 1 }],
    ['a nested value', { a: { b: 1 } }, { a: { b: 2 } }],
    ['array order', { items: [1, 2] }, { items: [2, 1] }],
    ['an array and an object', { a: [1] }, { a: { 0: 1 } }],
    ['true and "true"', { flag: true }, { flag: 'true' }],
    ['a key split differently', { ab: 'c' }, { a: 'bc' }],
    ['a string with a quote', { a: 'x","b":"y' }, { a: 'x', b: 'y' }],
    ['empty object and empty array', {}, []],
  ])('differs for %s', (_label, one, other) => {
    expect(requestFingerprint(one)).not.toBe(requestFingerprint(other));
  });

  it('keeps the fingerprint when keys are shuffled at every level (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        const shuffled = shuffleKeys(value, seededRandom(seed));
        expect(requestFingerprint(shuffled)).toBe(requestFingerprint(value));
      }),
    );
  });

  it('changes when a key is added to an object (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.string(),
        fc.jsonValue(),
        (object, key, value) => {
          fc.pre(!Object.hasOwn(object, key));
          const extended = { ...object };
          Object.defineProperty(extended, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
          expect(requestFingerprint(extended)).not.toBe(requestFingerprint(object));
        },
      ),
    );
  });
});

describe('idempotencyKeyReused', () => {
  it('is a conflict naming the key', () => {
    const error = idempotencyKeyReused('key-1');
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'idempotency_key_reused', status: 409 });
    expect(error.message).toContain("'key-1'");
  });
});
