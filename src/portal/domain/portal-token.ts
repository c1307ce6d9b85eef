import { createHash, randomBytes } from 'node:crypto';

/** A portal session token: `pst_` and 32 random bytes in base64url (43 characters). */
export const PORTAL_TOKEN_PREFIX = 'pst_';
const PORTAL_TOKEN = /^pst_[A-Za-z0-9_-]{43}$/;

export function generatePortalToken(): string {
  return `${PORTAL_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Whether a bearer is meant as a portal token (its prefix): such a bearer is never an API key. */
export function isPortalBearer(bearer: string | undefined): boolean {
  return bearer !== undefined && bearer.startsWith(PORTAL_TOKEN_PREFIX);
}

/** Whether `token` has the shape Tally issues (not whether it exists). */
export function looksLikePortalToken(token: string): boolean {
  return PORTAL_TOKEN.test(token);
}

/** What is stored of a token: its SHA-256, hex. The token itself is only ever in the create's answer. */
export function hashPortalToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The portal page's URL: the token in the fragment, which browsers never send to a server. */
export function portalUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/portal#token=${token}`;
}

export const EXPIRES_IN = { min: 300, max: 86_400, default: 3600 } as const;

/** Whether a session still opens the portal at `now`: until its `expires_at`, exclusive. */
export function sessionState(session: { expiresAt: Date }, now: Date): 'live' | 'expired' {
  return now.getTime() < session.expiresAt.getTime() ? 'live' : 'expired';
}
