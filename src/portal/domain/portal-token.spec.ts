import {
  generatePortalToken,
  hashPortalToken,
  isPortalBearer,
  looksLikePortalToken,
  portalUrl,
  sessionState,
} from './portal-token.js';

describe('portal tokens', () => {
  it('are pst_ and 32 random bytes in base64url', () => {
    const token = generatePortalToken();
    expect(token).toMatch(/^pst_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(looksLikePortalToken(token)).toBe(true);
    expect(new Set(Array.from({ length: 100 }, generatePortalToken)).size).toBe(100);
  });

  it('tells portal bearers from API keys by prefix, and checks the shape', () => {
    expect(isPortalBearer('pst_x')).toBe(true);
    expect(isPortalBearer('sk_test_abc')).toBe(false);
    expect(isPortalBearer(undefined)).toBe(false);
    expect(looksLikePortalToken('pst_short')).toBe(false);
    expect(looksLikePortalToken(`pst_${'a'.repeat(42)}+`)).toBe(false);
    expect(looksLikePortalToken(`sk_${'a'.repeat(44)}`)).toBe(false);
  });

  it('stores a SHA-256 of the token, never the token', () => {
    const token = generatePortalToken();
    const hash = hashPortalToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token.slice(4));
    expect(hashPortalToken(token)).toBe(hash);
  });

  it('puts the token in the URL fragment', () => {
    expect(portalUrl('https://billing.example.com/', 'pst_abc')).toBe(
      'https://billing.example.com/portal#token=pst_abc',
    );
  });
});

describe('sessionState', () => {
  const expiresAt = new Date('2026-01-01T01:00:00Z');

  it('is live before expires_at and expired from it on', () => {
    expect(sessionState({ expiresAt }, new Date('2026-01-01T00:59:59.999Z'))).toBe('live');
    expect(sessionState({ expiresAt }, expiresAt)).toBe('expired');
    expect(sessionState({ expiresAt }, new Date('2026-01-02T00:00:00Z'))).toBe('expired');
  });
});
