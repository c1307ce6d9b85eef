import { type ErrorBody, RateLimitError, TallyError } from '../errors/tally-error.js';
import { isDependencyUnavailable } from '../errors/unavailable.js';

export interface ErrorResponse {
  status: number;
  body: { error: ErrorBody };
  headers?: Record<string, string>;
}

/** Seconds a client waits before retrying a 503: PostgreSQL and Temporal restarts take a few. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

const TYPE_BY_STATUS: Record<number, ErrorBody['type']> = {
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  429: 'rate_limit_error',
};

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'route_not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Fastify's own error codes that deserve a clearer message than its default. */
const MESSAGE_BY_FASTIFY_CODE: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but Content-Type says JSON.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than the 1 MiB limit.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The Content-Type is not supported; send application/json.',
};

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { getStatus?: () => number; statusCode?: unknown; status?: unknown };
  if (typeof candidate.getStatus === 'function') return candidate.getStatus();
  if (typeof candidate.statusCode === 'number') return candidate.statusCode;
  return undefined;
}

/**
 * The one translation of any thrown value into the HTTP error envelope. Tally's typed errors
 * carry their own code; framework 4xx errors (bad JSON, unknown route, body too large) get a
 * stable code from their status; an unreachable PostgreSQL or Temporal is a 503 to retry;
 * anything else is a 500 that reveals nothing.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof RateLimitError) {
    return {
      status: error.status,
      headers: { 'retry-after': String(error.retryAfterSeconds) },
      body: { error: error.toBody() },
    };
  }
  if (error instanceof TallyError) return { status: error.status, body: { error: error.toBody() } };
  const status = statusOf(error);
  if (status !== undefined && status >= 400 && status < 500) {
    const fastifyCode = (error as { code?: unknown }).code;
    const message =
      (typeof fastifyCode === 'string' && MESSAGE_BY_FASTIFY_CODE[fastifyCode]) ||
      (error instanceof Error ? error.message : 'Invalid request.');
    return {
      status,
      body: {
        error: {
          type: TYPE_BY_STATUS[status] ?? 'invalid_request_error',
          code: CODE_BY_STATUS[status] ?? 'invalid_request',
          message,
        },
      },
    };
  }
  if (isDependencyUnavailable(error)) {
    return {
      status: 503,
      headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
      body: {
        error: {
          type: 'api_error',
          code: 'service_unavailable',
          message: 'Tally cannot reach its database or workflow service right now; retry shortly.',
        },
      },
    };
  }
  return {
    status: 500,
    body: { error: { type: 'api_error', code: 'internal_error', message: 'An unexpected error occurred.' } },
  };
}
