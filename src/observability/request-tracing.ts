import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routeLabel } from './http-metrics.js';

const spans = new WeakMap<FastifyRequest, Span>();
const tracer = () => trace.getTracer('tally-http');

/**
 * A server span per request, continuing a caller's W3C `traceparent`, and made the active context
 * for the handler: the Temporal client's interceptor then makes the workflow start its child, so a
 * trace runs from the request into the workflow and its activities. Registered only when tracing is on.
 */
export function traceRequests(instance: FastifyInstance): void {
  instance.addHook('onRequest', (request, _reply, done) => {
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer().startSpan(
      `${request.method} ${routeLabel(request)}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'http.route': routeLabel(request),
          'url.path': request.url.split('?')[0],
        },
      },
      parent,
    );
    spans.set(request, span);
    done();
  });
  // After the body is parsed, right before Nest's handler (guards, pipes, the controller) runs.
  instance.addHook('preHandler', (request, _reply, done) => {
    const span = spans.get(request);
    if (!span) return done();
    context.with(trace.setSpan(context.active(), span), done);
  });
  instance.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}
