import { fieldWithNul } from './nul-characters.js';

describe('fieldWithNul', () => {
  it.each<[unknown, string | null]>([
    ['plain', null],
    [{ name: 'a\u0000b' }, 'name'],
    [{ metadata: { k: 'v\u0000' } }, 'metadata.k'],
    [{ metadata: { 'k\u0000': 'v' } }, 'metadata.k\u0000'],
    [{ events: [{ reference: 'ok' }, { reference: '\u0000' }] }, 'events[1].reference'],
    ['\u0000', 'body'],
    [{ n: 1, b: true, x: null }, null],
  ])('%j → %p', (value, field) => {
    expect(fieldWithNul(value)).toBe(field);
  });
});
