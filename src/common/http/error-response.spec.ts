import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionError,
  RateLimitError,
  type TallyError,
  ValidationError,
} from '../errors/tally-error.js';
import { toErrorResponse } from './error-response.js';

describe('toErrorResponse', () => {
  describe('Tally errors', () => {
    it.each<[string, TallyError, number, string]>([
      [
        'ValidationError',
        new ValidationError('parameter_invalid', 'Bad.', 'limit'),
        400,
        'invalid_request_error',
      ],
      [
        'PayloadTooLargeError',
        new PayloadTooLargeError('too_large', 'Big.', 'events'),
        413,
        'invalid_request_error',
      ],
      [
        'AuthenticationError',
        new AuthenticationError('unauthenticated', 'Who?', 'authorization'),
        401,
        'authentication_error',
      ],
      ['PermissionError', new PermissionError('forbidden', 'No.', 'merchant'), 403, 'permission_error'],
      ['NotFoundError', new NotFoundError('resource_missing', 'Gone.', 'id'), 404, 'not_found_error'],
      ['ConflictError', new ConflictError('invoice_finalized', 'Done.', 'status'), 409, 'conflict_error'],
    ])('maps %s to its status and envelope, param included', (_name, error, status, type) => {
      expect(toErrorResponse(error)).toEqual({
        status,
        body: { error: { type, code: error.code, message: error.message, param: error.param } },
      });
    });

    it('maps RateLimitError to 429 with the seconds to wait in Retry-After', () => {
      expect(toErrorResponse(new RateLimitError('rate_limited', 'Slow.', 'events', 3))).toEqual({
        status: 429,
        headers: { 'retry-after': '3' },
        body: {
          error: { type: 'rate_limit_error', code: 'rate_limited', message: 'Slow.', param: 'events' },
        },
      });
    });

    it.each<[string, TallyError, number]>([
      ['ValidationError', new ValidationError('parameter_invalid', 'Bad.'), 400],
      ['AuthenticationError', new AuthenticationError('unauthenticated', 'Who?'), 401],
      ['ConflictError', new ConflictError('conflict', 'Again.'), 409],
    ])('leaves param out of the %s envelope when it is not set', (_name, error, status) => {
      const response = toErrorResponse(error);
      expect(response.status).toBe(status);
      expect(response.body.error).not.toHaveProperty('param');
      expect(response.body.error).toEqual({ type: error.type, code: error.code, message: error.message });
    });

    it('uses NotFoundError.resource for a missing object', () => {
      expect(toErrorResponse(NotFoundError.resource('customer', 'cus_123'))).toEqual({
        status: 404,
        body: {
          error: {
            type: 'not_found_error',
            code: 'resource_missing',
            message: "No such customer: 'cus_123'.",
            param: 'id',
          },
        },
      });
    });
  });

  describe('framework errors', () => {
    it.each([
      [
        'FST_ERR_CTP_BODY_TOO_LARGE',
        413,
        'invalid_request_error',
        'payload_too_large',
        'The request body is larger than the 1 MiB limit.',
      ],
      [
        'FST_ERR_CTP_INVALID_JSON_BODY',
        400,
        'invalid_request_error',
        'invalid_request',
        'The request body is not valid JSON.',
      ],
      [
        'FST_ERR_CTP_EMPTY_JSON_BODY',
        400,
        'invalid_request_error',
        'invalid_request',
        'The request body is empty but Content-Type says JSON.',
      ],
      [
        'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        415,
        'invalid_request_error',
        'unsupported_media_type',
        'The Content-Type is not supported; send application/json.',
      ],
    ])(
      'maps Fastify %s (statusCode %d) to %s / %s with a friendly message',
      (code, statusCode, type, stableCode, message) => {
        const error = Object.assign(new Error('fastify says something technical'), { statusCode, code });
        expect(toErrorResponse(error)).toEqual({
          status: statusCode,
          body: { error: { type, code: stableCode, message } },
        });
      },
    );

    it.each([
      [401, 'authentication_error', 'unauthenticated'],
      [403, 'permission_error', 'forbidden'],
      [404, 'not_found_error', 'route_not_found'],
      [405, 'invalid_request_error', 'method_not_allowed'],
      [406, 'invalid_request_error', 'not_acceptable'],
      [409, 'conflict_error', 'conflict'],
      [429, 'rate_limit_error', 'rate_limited'],
      [418, 'invalid_request_error', 'invalid_request'],
    ])(
      'maps a framework error with statusCode %d to %s / %s, keeping its message',
      (statusCode, type, code) => {
        const error = Object.assign(new Error('framework message'), { statusCode });
        expect(toErrorResponse(error)).toEqual({
          status: statusCode,
          body: { error: { type, code, message: 'framework message' } },
        });
      },
    );

    it('uses a generic message for a non-Error object with a 4xx statusCode', () => {
      expect(toErrorResponse({ statusCode: 400, message: 'not an Error instance' })).toEqual({
        status: 400,
        body: {
          error: { type: 'invalid_request_error', code: 'invalid_request', message: 'Invalid request.' },
        },
      });
    });

    it('maps a Nest NotFoundException (getStatus) to 404 route_not_found', () => {
      const response = toErrorResponse(new NotFoundException());
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({ type: 'not_found_error', code: 'route_not_found' });
      expect(response.body.error).not.toHaveProperty('param');
    });

    it('maps a Nest BadRequestException to 400 invalid_request', () => {
      const response = toErrorResponse(new BadRequestException('bad'));
      expect(response).toEqual({
        status: 400,
        body: { error: { type: 'invalid_request_error', code: 'invalid_request', message: 'bad' } },
      });
    });

    it('maps an unreachable database to 503 service_unavailable with Retry-After, revealing nothing', () => {
      const down = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432 password hunter2'), {
        code: 'ECONNREFUSED',
      });
      const response = toErrorResponse(new Error('query failed', { cause: down }));
      expect(response.status).toBe(503);
      expect(response.headers).toEqual({ 'retry-after': '2' });
      expect(response.body.error).toMatchObject({ type: 'api_error', code: 'service_unavailable' });
      expect(response.body.error.message).not.toMatch(/hunter2|10\.0\.0\.7/);
    });

    it.each([
      ['a Nest 500', new HttpException('database password is hunter2', 500)],
      ['a Nest 503', new HttpException('database password is hunter2', 503)],
      ['a statusCode 500', Object.assign(new Error('database password is hunter2'), { statusCode: 500 })],
      ['a statusCode 302', Object.assign(new Error('database password is hunter2'), { statusCode: 302 })],
      [
        'a string statusCode',
        Object.assign(new Error('database password is hunter2'), { statusCode: '404' }),
      ],
    ])('treats %s as an internal error', (_label, error) => {
      const response = toErrorResponse(error);
      expect(response.status).toBe(500);
      expect(response.body.error).toMatchObject({ type: 'api_error', code: 'internal_error' });
      expect(response.body.error.message).not.toContain('hunter2');
    });
  });

  describe('anything else', () => {
    it.each<[string, unknown]>([
      ['a plain Error', new Error('secret connection string postgres://u:hunter2@db')],
      ['a TypeError', new TypeError('secret hunter2 is not a function')],
      ['a string', 'secret hunter2'],
      ['a number', 42],
      ['null', null],
      ['undefined', undefined],
      ['a plain object', { message: 'secret hunter2' }],
    ])('maps %s to 500 api_error internal_error without leaking its message', (_label, thrown) => {
      const response = toErrorResponse(thrown);
      expect(response.status).toBe(500);
      expect(response.body.error).toEqual({
        type: 'api_error',
        code: 'internal_error',
        message: expect.any(String),
      });
      expect(response.body.error.message.length).toBeGreaterThan(0);
      expect(response.body.error.message).not.toContain('hunter2');
    });
  });
});
