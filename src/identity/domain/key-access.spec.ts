import fc from 'fast-check';
import { KEY_ACCESSES, keyAllows, ROUTE_PERMISSIONS } from './key-access.js';

describe('keyAllows', () => {
  it.each([
    ['full', 'read', true],
    ['full', 'write', true],
    ['full', 'ingest', true],
    ['full', 'keys', true],
    ['read', 'read', true],
    ['read', 'write', false],
    ['read', 'ingest', false],
    ['read', 'keys', false],
    ['ingest', 'ingest', true],
    ['ingest', 'read', false],
    ['ingest', 'write', false],
    ['ingest', 'keys', false],
  ] as const)('a %s key calling a route that needs %s: %s', (access, permission, allowed) => {
    expect(keyAllows(access, permission)).toBe(allowed);
  });

  it('only a full key may manage keys or write, whatever the pair', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KEY_ACCESSES),
        fc.constantFrom(...ROUTE_PERMISSIONS),
        (access, permission) => {
          if (permission === 'keys' || permission === 'write') {
            expect(keyAllows(access, permission)).toBe(access === 'full');
          }
        },
      ),
    );
  });
});
