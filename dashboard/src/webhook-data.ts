import { useEffect, useState } from 'preact/hooks';
import type { Tally, components } from '../../sdk/src/index.js';
import { messageOf } from './session.js';

export type Endpoint = components['schemas']['WebhookEndpoint'];

/**
 * What a raw `tally.client` call answers (for what the SDK's helpers do not take: a page after
 * `starting_after`, a redelivery to one endpoint), or a thrown Error with the API's message.
 */
export async function answerOf<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const message = (error as { error?: { message?: string } } | undefined)?.error?.message;
  throw new Error(message ?? `Tally answered HTTP ${response.status}.`);
}

/** The merchant's endpoints (the first 100). */
export function useEndpoints(tally: Tally): { endpoints: Endpoint[] | null; error: string | null } {
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    tally.webhooks.endpoints
      .list({ limit: 100 })
      .page()
      .then((page) => setEndpoints(page.data as Endpoint[]))
      .catch((failure: unknown) => setError(messageOf(failure)));
  }, [tally]);
  return { endpoints, error };
}

/** An endpoint's URL when it is known, else its id (a deleted endpoint, or one past the first 100). */
export function endpointName(endpoints: Endpoint[] | null, id: string): string {
  return endpoints?.find((endpoint) => endpoint.id === id)?.url ?? id;
}

const GOOD = new Set(['enabled', 'succeeded']);
const BAD = new Set(['disabled', 'failed']);

/** The badge classes of an endpoint's, a delivery's or an attempt's status. */
export function statusBadge(status: string): string {
  const tone = GOOD.has(status) ? ' webhooks-good' : BAD.has(status) ? ' webhooks-bad' : '';
  return `status${tone}`;
}
