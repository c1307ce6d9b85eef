import { ValidationError as ClassValidatorError } from 'class-validator';
import { CreatePayerDto } from '../../payers/dto/payer.dto.js';
import { ValidationError } from '../errors/tally-error.js';
import { createValidationPipe, validationErrorFrom } from './validation.pipe.js';

function problem(
  property: string,
  constraints?: Record<string, string>,
  children: ClassValidatorError[] = [],
): ClassValidatorError {
  const error = new ClassValidatorError();
  error.property = property;
  if (constraints) error.constraints = constraints;
  error.children = children;
  return error;
}

const unknown = (property: string) =>
  problem(property, { whitelistValidation: `property ${property} should not exist` });

describe('validationErrorFrom', () => {
  it.each<[string, ClassValidatorError[], string, string]>([
    ['one unknown field', [unknown('extra')], 'parameter_unknown', 'extra'],
    ['two unknown fields', [unknown('extra'), unknown('more')], 'parameter_unknown', 'extra'],
    [
      'one invalid field',
      [problem('name', { isString: 'name must be a string' })],
      'parameter_invalid',
      'name',
    ],
    [
      'an invalid field then an unknown one',
      [problem('email', { isEmail: 'email must be an email' }), unknown('extra')],
      'parameter_invalid',
      'email',
    ],
    [
      'an unknown field then an invalid one',
      [unknown('extra'), problem('email', { isEmail: 'email must be an email' })],
      'parameter_invalid',
      'email',
    ],
    [
      'a field with a whitelist and another constraint',
      [problem('x', { whitelistValidation: 'no', isString: 'x must be a string' })],
      'parameter_invalid',
      'x',
    ],
    [
      'a nested invalid field',
      [problem('address', undefined, [problem('city', { isString: 'city must be a string' })])],
      'parameter_invalid',
      'address.city',
    ],
    [
      'a deeply nested unknown field',
      [problem('lines', undefined, [problem('0', undefined, [unknown('bogus')])])],
      'parameter_unknown',
      'lines.0.bogus',
    ],
  ])('%s → %s on %s', (_label, errors, code, param) => {
    const error = validationErrorFrom(errors);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code, param, status: 400 });
  });

  it('answers parameter_invalid, not parameter_unknown, for an empty list', () => {
    expect(validationErrorFrom([])).toMatchObject({ code: 'parameter_invalid', param: undefined });
  });

  it('lists every problem in one message', () => {
    const error = validationErrorFrom([
      problem('name', { isString: 'name must be a string', isLength: 'name must be shorter than 500' }),
      problem('metadata', undefined, [problem('plan', { isString: 'plan must be a string' })]),
      unknown('extra'),
    ]);
    expect(error.message).toBe(
      'Invalid request: name must be a string; name must be shorter than 500; plan must be a string; ' +
        'extra is not a known parameter.',
    );
  });

  it('names unknown parameters by their full path', () => {
    const error = validationErrorFrom([problem('metadata', undefined, [unknown('bogus')])]);
    expect(error.message).toBe('Invalid request: metadata.bogus is not a known parameter.');
    expect(error.param).toBe('metadata.bogus');
  });
});

describe('createValidationPipe', () => {
  it('rejects a bad body with one ValidationError listing every problem', async () => {
    const pipe = createValidationPipe();
    const result = pipe.transform({ name: 5, extra: 1 }, { type: 'body', metatype: CreatePayerDto });
    await expect(result).rejects.toBeInstanceOf(ValidationError);
    const error = (await result.catch((e: unknown) => e)) as ValidationError;
    expect(error).toMatchObject({ code: 'parameter_invalid', status: 400 });
    expect(error.param).toBe('name');
    expect(error.message).toMatch(/name must be a string/i);
    expect(error.message).toMatch(/extra is not a known parameter/i);
    expect(error.message.split('; ')).toHaveLength(3);
  });

  it('reports parameter_unknown when only unknown fields are wrong', async () => {
    const pipe = createValidationPipe();
    await expect(
      pipe.transform({ name: 'Ada', extra: 1 }, { type: 'body', metatype: CreatePayerDto }),
    ).rejects.toMatchObject({ code: 'parameter_unknown', param: 'extra' });
  });

  it('reports the metadata problem from IsMetadata', async () => {
    const pipe = createValidationPipe();
    await expect(
      pipe.transform({ metadata: { plan: 3 } }, { type: 'body', metatype: CreatePayerDto }),
    ).rejects.toMatchObject({
      code: 'parameter_invalid',
      param: 'metadata',
      message: expect.stringMatching(/metadata\.plan must be a string/i),
    });
  });

  it('passes a valid body through as a DTO instance', async () => {
    const pipe = createValidationPipe();
    const value = await pipe.transform(
      { name: 'Ada', email: 'ada@example.com', metadata: { plan: 'pro' } },
      { type: 'body', metatype: CreatePayerDto },
    );
    expect(value).toBeInstanceOf(CreatePayerDto);
    expect(value).toEqual({ name: 'Ada', email: 'ada@example.com', metadata: { plan: 'pro' } });
  });
});
