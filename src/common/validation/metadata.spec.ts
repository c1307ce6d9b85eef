import { METADATA_LIMITS, metadataProblem } from './metadata.js';

const manyKeys = (n: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`key_${i}`, 'v']));

describe('metadataProblem', () => {
  it('has the documented limits', () => {
    expect(METADATA_LIMITS).toEqual({ maxKeys: 50, maxKeyLength: 40, maxValueLength: 500 });
  });

  it.each<[string, object]>([
    ['an empty object', {}],
    ['string values', { plan: 'pro', region: 'eu' }],
    ['empty string values', { note: '' }],
    ['exactly 50 keys', manyKeys(50)],
    ['a 40-character key', { ['k'.repeat(40)]: 'v' }],
    ['a 1-character key', { k: 'v' }],
    ['a 500-character value', { note: 'x'.repeat(500) }],
  ])('accepts %s', (_label, value) => {
    expect(metadataProblem(value)).toBeNull();
  });

  it.each<[string, unknown]>([
    ['an array', ['a', 'b']],
    ['an empty array', []],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'plan=pro'],
    ['a number', 42],
    ['a boolean', true],
  ])('rejects %s as not an object', (_label, value) => {
    expect(metadataProblem(value)).toMatch(/object/);
  });

  it.each<[string, object, RegExp]>([
    ['51 keys', manyKeys(51), /at most 50 keys/],
    ['a 41-character key', { ['k'.repeat(41)]: 'v' }, /1 to 40 characters/],
    ['an empty key', { '': 'v' }, /1 to 40 characters/],
    ['a number value', { count: 3 }, /metadata\.count must be a string/],
    ['a null value', { gone: null }, /metadata\.gone must be a string/],
    ['an object value', { nested: { a: 'b' } }, /metadata\.nested must be a string/],
    ['a 501-character value', { note: 'x'.repeat(501) }, /metadata\.note may be at most 500 characters/],
  ])('rejects %s, naming the limit', (_label, value, problem) => {
    expect(metadataProblem(value)).toMatch(problem);
  });

  it('reports a bad entry among good ones', () => {
    expect(metadataProblem({ a: 'ok', b: 'ok', c: 7 })).toMatch(/metadata\.c/);
  });
});
