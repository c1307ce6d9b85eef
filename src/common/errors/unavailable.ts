/**
 * Whether an error means a service Tally depends on (PostgreSQL, Temporal) cannot be reached
 * right now, rather than that the request or Tally is wrong: the API answers those with 503
 * `service_unavailable` and `Retry-After`, so a client retries instead of giving up.
 */
const UNREACHABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** PostgreSQL SQLSTATEs of a server going away or not taking connections (class 08 is all connection trouble). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres and its pool say these in words, with no code. */
const UNREACHABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Connection is not established/i,
];

/** Tally's own word that a dependency did not answer in time (e.g. Temporal, past its wait). */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';
}

/** gRPC status codes Temporal's client reports for a server it cannot reach in time. */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/**
 * `grpcStatusOf`: set below a Temporal `ServiceError`, whose cause is the gRPC status error
 * (an ordinary Error with a numeric `code`); a numeric code counts only there or on the ServiceError.
 */
export function isDependencyUnavailable(error: unknown, depth = 0, grpcStatusOf = false): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const candidate = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    name?: unknown;
  };
  if (error instanceof DependencyUnavailableError) return true;
  const { code } = candidate;
  if (typeof code === 'string') {
    if (UNREACHABLE_NODE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) {
      return true;
    }
  }
  const serviceError = candidate.name === 'ServiceError';
  if ((serviceError || grpcStatusOf) && (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED)) {
    return true;
  }
  if (
    typeof candidate.message === 'string' &&
    UNREACHABLE_MESSAGES.some((pattern) => pattern.test(candidate.message as string))
  ) {
    return true;
  }
  return (
    isDependencyUnavailable(candidate.driverError, depth + 1) ||
    isDependencyUnavailable(candidate.cause, depth + 1, serviceError)
  );
}
