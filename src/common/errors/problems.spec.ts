import { type Problem, validationErrorFromProblems } from './problems.js';
import { ValidationError } from './tally-error.js';

describe('validationErrorFromProblems', () => {
  it.each<[string, Problem[], string, string | undefined]>([
    [
      'one problem',
      [{ code: 'parameter_missing', param: 'reference', message: 'reference is required' }],
      'parameter_missing',
      'reference',
    ],
    [
      'several problems',
      [
        { code: 'payer_conflict', param: 'account', message: 'one payer' },
        { code: 'parameter_missing', param: 'reference', message: 'reference is required' },
      ],
      'payer_conflict',
      'account',
    ],
    [
      'a first problem without a param',
      [
        { code: 'parameter_invalid', message: 'an event must be a JSON object' },
        { code: 'parameter_missing', param: 'reference', message: 'reference is required' },
      ],
      'parameter_invalid',
      undefined,
    ],
  ])('%s: takes code and param from the first problem', (_label, problems, code, param) => {
    const error = validationErrorFromProblems(problems);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.code).toBe(code);
    expect(error.param).toBe(param);
  });

  it('lists every message, in order', () => {
    const error = validationErrorFromProblems([
      { code: 'payer_required', param: 'customer', message: 'customer or account is required' },
      { code: 'parameter_missing', param: 'reference', message: 'reference is required' },
      { code: 'parameter_unknown', param: 'foo', message: 'foo is not a known parameter' },
    ]);
    expect(error.message).toBe(
      'Invalid request: customer or account is required; reference is required; foo is not a known parameter.',
    );
  });

  it('gives parameter_invalid without a param for an empty list', () => {
    const error = validationErrorFromProblems([]);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('parameter_invalid');
    expect(error.param).toBeUndefined();
    expect(error.toBody()).not.toHaveProperty('param');
  });

  it('puts the first param in the envelope body', () => {
    const error = validationErrorFromProblems([
      { code: 'timestamp_in_future', param: 'timestamp', message: 'late' },
    ]);
    expect(error.toBody()).toEqual({
      type: 'invalid_request_error',
      code: 'timestamp_in_future',
      message: 'Invalid request: late.',
      param: 'timestamp',
    });
  });
});
