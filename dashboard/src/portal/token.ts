import { Tally } from '../../../sdk/src/index.js';

/**
 * The portal token arrives in the URL's fragment (`#token=pst_…`), which no server ever sees. It
 * is taken out of the address bar at once and kept in this tab's sessionStorage alone (a reload
 * works; never a cookie, localStorage or a query string).
 */
const KEY = 'tally.portalToken';

export function takeToken(): string | null {
  const fromFragment = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromFragment) {
    sessionStorage.setItem(KEY, fromFragment);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromFragment;
  }
  return sessionStorage.getItem(KEY);
}

/** A client of this origin's portal API, the token as its bearer. */
export function portalClient(token: string): Tally {
  return new Tally({ apiKey: token, baseUrl: window.location.origin, maxRetries: 1 });
}

/** A refused portal read: its HTTP status and Tally's error code. */
export class PortalRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a raw client call, or a PortalRefusal carrying the answer's status and code. */
export async function answerOf<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error as { error?: { code?: string; message?: string } } | undefined)?.error;
  throw new PortalRefusal(
    response.status,
    body?.code ?? 'unexpected_response',
    body?.message ?? `The server answered ${response.status}.`,
  );
}

/** A refusal that means the link itself no longer opens anything. */
export function linkRefused(error: unknown): 'expired' | 'invalid' | null {
  if (!(error instanceof PortalRefusal) || error.status !== 401) return null;
  return error.code === 'portal_session_expired' ? 'expired' : 'invalid';
}
