import { DependencyUnavailableError, isDependencyUnavailable } from './unavailable.js';

const withCode = (code: string | number, message = 'x', name = 'Error') =>
  Object.assign(new Error(message), { code, name });

describe('isDependencyUnavailable', () => {
  it.each<[string, unknown]>([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['PostgreSQL shutting down (57P01)', withCode('57P01')],
    ['PostgreSQL starting up (57P03)', withCode('57P03')],
    ['too many connections (53300)', withCode('53300')],
    ['a connection failure (class 08)', withCode('08006')],
    ['pg words with no code', new Error('Connection terminated unexpectedly')],
    ['the pool timing out', new Error('timeout exceeded when trying to connect')],
    [
      'a TypeORM error wrapping one',
      Object.assign(new Error('query failed'), { driverError: withCode('57P01') }),
    ],
    ['a cause chain', new Error('outer', { cause: new Error('mid', { cause: withCode('ECONNREFUSED') }) })],
    ['Temporal unreachable (gRPC 14)', withCode(14, 'unavailable', 'ServiceError')],
    ['Temporal too slow (gRPC 4)', withCode(4, 'deadline', 'ServiceError')],
    [
      "Temporal's ServiceError wrapping the gRPC status (as workflow.start throws it)",
      Object.assign(new Error('Failed to start Workflow', { cause: withCode(4, 'Deadline exceeded') }), {
        name: 'ServiceError',
      }),
    ],
    ['Tally giving up waiting', new DependencyUnavailableError('Temporal did not answer within 1500 ms.')],
  ])('is true for %s', (_label, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a gRPC NOT_FOUND', withCode(5, 'not found', 'ServiceError')],
    ['a number code on an ordinary error', withCode(14)],
    ['a number code in an ordinary cause chain', new Error('outer', { cause: withCode(14) })],
    ['no error at all', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('is false for %s', (_label, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
