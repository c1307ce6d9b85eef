/**
 * Typed domain errors. Services throw these; one exception filter turns them into the HTTP
 * envelope `{ error: { type, code, message, param? } }`, and activities turn them into
 * non-retryable failures. `code` values are stable and documented in the README.
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'rate_limit_error'
  | 'api_error';

export interface ErrorBody {
  type: ErrorType;
  code: string;
  message: string;
  param?: string;
}

export abstract class TallyError extends Error {
  abstract readonly type: ErrorType;
  abstract readonly status: number;

  constructor(
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): ErrorBody {
    return {
      type: this.type,
      code: this.code,
      message: this.message,
      ...(this.param === undefined ? {} : { param: this.param }),
    };
  }
}

export class ValidationError extends TallyError {
  readonly type = 'invalid_request_error';
  readonly status: number = 400;
}

export class PayloadTooLargeError extends ValidationError {
  override readonly status = 413;
}

export class AuthenticationError extends TallyError {
  readonly type = 'authentication_error';
  readonly status = 401;
}

export class PermissionError extends TallyError {
  readonly type = 'permission_error';
  readonly status = 403;
}

export class NotFoundError extends TallyError {
  readonly type = 'not_found_error';
  readonly status = 404;

  /** The one message for a missing (or another merchant's) object, so neither is distinguishable. */
  static resource(resource: string, id: string): NotFoundError {
    return new NotFoundError('resource_missing', `No such ${resource}: '${id}'.`, 'id');
  }
}

export class ConflictError extends TallyError {
  readonly type = 'conflict_error';
  readonly status = 409;
}

export class RateLimitError extends TallyError {
  readonly type = 'rate_limit_error';
  readonly status = 429;

  constructor(
    code: string,
    message: string,
    param?: string,
    /** Sent as `Retry-After`. */
    readonly retryAfterSeconds = 1,
  ) {
    super(code, message, param);
  }
}
