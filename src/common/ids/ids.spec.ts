import fc from 'fast-check';
import { decodeTime } from 'ulid';
import { ID_PREFIXES, type IdKind, isIdOf, newId } from './ids.js';

const KINDS = Object.keys(ID_PREFIXES) as IdKind[];
const BODY = /^[0-9a-hjkmnp-tv-z]{26}$/;

describe('ID_PREFIXES', () => {
  it('gives every kind a distinct prefix', () => {
    expect(new Set(Object.values(ID_PREFIXES)).size).toBe(KINDS.length);
  });
});

describe('newId', () => {
  it.each([
    ['merchant', 'mer'],
    ['apiKey', 'key'],
    ['customer', 'cus'],
    ['account', 'acct'],
    ['paymentMethod', 'pm'],
    ['metric', 'bm'],
    ['event', 'bme'],
    ['invoice', 'inv'],
    ['invoiceLine', 'il'],
    ['charge', 'ch'],
    ['subscription', 'sub'],
    ['creditGrant', 'cg'],
    ['creditLedgerEntry', 'cle'],
    ['webhookEndpoint', 'we'],
    ['webhookEvent', 'evt'],
    ['webhookDeliveryAttempt', 'whatt'],
    ['portalSession', 'ps'],
  ] as const)('issues %s ids as %s_ + a 26-character lower-case Crockford ULID', (kind, prefix) => {
    const id = newId(kind);
    expect(id.startsWith(`${prefix}_`)).toBe(true);
    expect(id.slice(prefix.length + 1)).toMatch(BODY);
  });

  it('covers every kind in the table above', () => {
    expect(KINDS).toHaveLength(17);
  });

  it('encodes the creation time in the body', () => {
    const before = Date.now();
    const id = newId('customer');
    const after = Date.now();
    const time = decodeTime(id.slice('cus_'.length).toUpperCase());
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);
  });

  it('is monotonic within one millisecond', () => {
    const now = Date.now();
    const ids = Array.from({ length: 1000 }, () => newId('event', now));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('sorts ids of one kind by creation time across milliseconds', () => {
    const start = Date.now();
    const ids = [0, 1, 2, 5, 60_000].map((offset) => newId('invoice', start + offset));
    const shuffled = [ids[3], ids[0], ids[4], ids[2], ids[1]];
    expect(shuffled.sort()).toEqual(ids);
  });
});

describe('isIdOf', () => {
  const body = '01jdx6v3qk8m9n2p4r5s7t0vwz';

  it.each(KINDS)('accepts a new %s id', (kind) => {
    expect(isIdOf(kind, newId(kind))).toBe(true);
  });

  it.each([
    ['customer', `cus_${body}`, true],
    ['customer', `CUS_${body}`, false],
    ['customer', `cus_${body.toUpperCase()}`, false],
    ['customer', `cus_${body.slice(1)}`, false],
    ['customer', `cus_${body}0`, false],
    ['customer', `cus_${body.slice(1)}i`, false],
    ['customer', `cus_${body.slice(1)}l`, false],
    ['customer', `cus_${body.slice(1)}o`, false],
    ['customer', `cus_${body.slice(1)}u`, false],
    ['customer', `cus-${body}`, false],
    ['customer', `cus${body}`, false],
    ['customer', `cus_`, false],
    ['customer', ``, false],
    ['customer', ` cus_${body}`, false],
    ['customer', `cus_${body}\n`, false],
    ['customer', `acct_${body}`, false],
    ['charge', `ch_${body}`, true],
    ['charge', `cus_${body}`, false],
    ['charge', `cg_${body}`, false],
    ['metric', `bm_${body}`, true],
    ['metric', `bme_${body}`, false],
    ['event', `bm_${body}`, false],
    ['event', `bme_${body}`, true],
    ['webhookEndpoint', `we_${body}`, true],
    ['webhookEndpoint', `evt_${body}`, false],
    ['invoice', `il_${body}`, false],
    ['invoiceLine', `inv_${body}`, false],
  ] as const)('isIdOf(%s, %j) is %s', (kind, value, expected) => {
    expect(isIdOf(kind, value)).toBe(expected);
  });

  it.each([undefined, null, 42, {}, [`cus_${body}`], { toString: () => `cus_${body}` }, Symbol('cus')])(
    'rejects the non-string %p',
    (value) => {
      expect(isIdOf('customer', value)).toBe(false);
    },
  );

  it('accepts ids of their own kind only (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.constantFrom(...KINDS), (kind, other) => {
        const id = newId(kind);
        expect(isIdOf(kind, id)).toBe(true);
        expect(isIdOf(other, id)).toBe(other === kind);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects arbitrary strings that are not prefix + ULID body (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.string(), (kind, junk) => {
        const value = `${ID_PREFIXES[kind]}_${junk}`;
        expect(isIdOf(kind, value)).toBe(BODY.test(junk));
        expect(isIdOf(kind, junk)).toBe(false);
      }),
    );
  });
});
