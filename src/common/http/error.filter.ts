import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response.js';
import type { RouteTable } from './route-table.js';

/** Where createHttpApp keeps the route table on the Fastify instance. */
export const ROUTE_TABLE = 'tallyRouteTable';

/**
 * Maps every error that reaches Nest to the envelope; 500s are logged (with the request id) and
 * their cause hidden. A path that exists but not with this method answers 405 with `Allow`, whatever
 * else is wrong with the request.
 */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const answer = toErrorResponse(exception);
    let { status, body } = answer;
    for (const [name, value] of Object.entries(answer.headers ?? {})) void reply.header(name, value);
    if (status < 500) {
      // Any refusal of a method the path does not take is a 405: Fastify checks a QUERY's
      // Content-Type (400) before it finds that no route takes QUERY.
      const table = (request.server as unknown as Record<string, RouteTable | undefined>)[ROUTE_TABLE];
      const allowed = table?.allowedAt(request.url) ?? [];
      if (allowed.length > 0 && !allowed.includes(request.method.toUpperCase())) {
        status = 405;
        body = {
          error: {
            type: 'invalid_request_error',
            code: 'method_not_allowed',
            message: `${request.method} is not allowed on ${request.url.split('?')[0]}; use ${allowed.join(', ')}.`,
          },
        };
        void reply.header('allow', allowed.join(', '));
      }
    }
    if (status === 503) request.log.warn({ err: exception }, 'a dependency is unavailable');
    else if (status >= 500) request.log.error({ err: exception }, 'unhandled error');
    void reply.status(status).send(body);
  }
}
