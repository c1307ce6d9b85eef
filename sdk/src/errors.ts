/** The `{ error: { type, code, message, param? } }` body Tally answers for every refusal. */
export interface ErrorBody {
  type: string;
  code: string;
  message: string;
  param?: string;
}

/** Tally refused the request (4xx) or failed it (5xx): `code` is stable and machine-readable. */
export class TallyApiError extends Error {
  override readonly name = 'TallyApiError';
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string | undefined;
  /** The `Request-Id` header, which names the request's log lines. */
  readonly requestId: string | undefined;

  constructor(status: number, body: ErrorBody, requestId: string | undefined) {
    super(body.message);
    this.status = status;
    this.type = body.type;
    this.code = body.code;
    this.param = body.param;
    this.requestId = requestId;
  }
}

/** No answer came: the connection failed or timed out (after the retries an operation allows). */
export class TallyConnectionError extends Error {
  override readonly name = 'TallyConnectionError';
  readonly code = 'connection_failed';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A webhook whose signature, timestamp or headers do not verify against the endpoint's secret. */
export class TallyWebhookVerificationError extends Error {
  override readonly name = 'TallyWebhookVerificationError';
  readonly code = 'webhook_signature_invalid';
}

function isErrorBody(value: unknown): value is { error: ErrorBody } {
  const error = (value as { error?: Partial<ErrorBody> } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

/** The error of a non-2xx answer; a body that is not Tally's envelope (a proxy's page) still gets one. */
export function apiErrorOf(response: Response, body: unknown): TallyApiError {
  const requestId = response.headers.get('request-id') ?? undefined;
  if (isErrorBody(body)) return new TallyApiError(response.status, body.error, requestId);
  return new TallyApiError(
    response.status,
    {
      type: response.status >= 500 ? 'api_error' : 'invalid_request_error',
      code: 'unexpected_response',
      message: `Tally answered HTTP ${response.status} without an error body.`,
    },
    requestId,
  );
}
