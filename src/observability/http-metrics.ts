import type { FastifyInstance, FastifyRequest } from 'fastify';
import { httpRequestDuration, httpRequests } from './meters.js';

/**
 * The route template a request matched (`/v1/customers/:id`), never its raw URL, so the label's
 * values stay as few as the routes; requests no route matched are all "unmatched".
 */
export function routeLabel(request: Pick<FastifyRequest, 'is404' | 'routeOptions'>): string {
  return request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
}

/** Counts and times every answered request (tally_http_requests_total, …_duration_seconds). */
export function recordHttpMetrics(instance: FastifyInstance): void {
  instance.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: routeLabel(request), status: String(reply.statusCode) };
    httpRequests.inc(labels);
    httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });
}
