import { TallyConnectionError } from './errors.js';
import type { OperationIndex } from './operation-match.js';
import { backoffDelayMs, retriableStatus, retryAfterMs } from './retry-policy.js';

export interface TransportOptions {
  baseUrl: string;
  /** Retries after the first try, for idempotent operations only. */
  maxRetries: number;
  /** Per try (ms). */
  timeoutMs: number;
  fetch: (request: Request) => Promise<Response>;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

function pathBelow(baseUrl: string, url: string): string {
  const base = new URL(baseUrl).pathname.replace(/\/$/, '');
  const path = new URL(url).pathname;
  return path.startsWith(base) ? path.slice(base.length) || '/' : path;
}

/**
 * The fetch the generated client sends through: gives a create that takes an `Idempotency-Key` one
 * when the caller did not (the same on every try), and sends an operation the API marks
 * `x-idempotent` again after a network error, a timeout, a 429 or a 5xx, with backoff and
 * Retry-After. Any other operation is tried once: a lost answer to `pay` must not pay twice.
 */
export function retryingFetch(
  options: TransportOptions,
  operations: OperationIndex,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const operation = operations.find(request.method, pathBelow(options.baseUrl, request.url));
    let template = request;
    if (operation?.idempotencyKey && !request.headers.has('idempotency-key')) {
      const headers = new Headers(request.headers);
      headers.set('idempotency-key', globalThis.crypto.randomUUID());
      template = new Request(request, { headers });
    }
    const retries = operation?.idempotent ? options.maxRetries : 0;
    for (let attempt = 0; ; attempt += 1) {
      const signal = AbortSignal.any([template.signal, AbortSignal.timeout(options.timeoutMs)]);
      let wait: number;
      try {
        const response = await options.fetch(new Request(template.clone(), { signal }));
        if (attempt >= retries || !retriableStatus(response.status)) return response;
        await response.body?.cancel();
        wait = retryAfterMs(response.headers.get('retry-after'), Date.now()) ?? 0;
      } catch (error) {
        if (template.signal.aborted) throw error;
        if (attempt >= retries) {
          const tries = attempt + 1;
          throw new TallyConnectionError(
            `${request.method} ${request.url} got no answer after ${tries} ${tries === 1 ? 'try' : 'tries'}: ${(error as Error).message}`,
            { cause: error },
          );
        }
        wait = 0;
      }
      await options.sleep(backoffDelayMs(attempt + 1, options.random(), wait || undefined));
    }
  };
}
