import { createHash, timingSafeEqual } from 'node:crypto';

/** Why a scrape is refused, as the API's error codes; null when it may read the metrics. */
export type MetricsRefusal = 'metrics_token_missing' | 'metrics_token_invalid';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * `/metrics` is open unless TALLY_METRICS_TOKEN is set; then it takes `Authorization: Bearer <token>`
 * (the API's and the worker's alike). Compared in constant time.
 */
export function metricsRefusal(
  token: string | undefined,
  authorization: string | undefined,
): MetricsRefusal | null {
  if (token === undefined) return null;
  const presented = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (presented === undefined) return authorization ? 'metrics_token_invalid' : 'metrics_token_missing';
  return timingSafeEqual(digest(presented), digest(token)) ? null : 'metrics_token_invalid';
}
