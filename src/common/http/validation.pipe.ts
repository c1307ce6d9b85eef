import { type ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { ValidationError } from '../errors/tally-error.js';

interface Problem {
  param: string;
  unknown: boolean;
  message: string;
}

function flatten(errors: ClassValidatorError[], parent = ''): Problem[] {
  return errors.flatMap((error) => {
    const param = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      param,
      unknown: rule === 'whitelistValidation',
      message: rule === 'whitelistValidation' ? `${param} is not a known parameter` : message,
    }));
    return [...own, ...flatten(error.children ?? [], param)];
  });
}

/** Turns class-validator's findings into one ValidationError that lists every problem at once. */
export function validationErrorFrom(errors: ClassValidatorError[]): ValidationError {
  const problems = flatten(errors);
  const first = problems[0] ?? { param: undefined, unknown: false, message: 'invalid request' };
  const code = problems.every((p) => p.unknown) ? 'parameter_unknown' : 'parameter_invalid';
  const message = problems.map((p) => p.message).join('; ');
  return new ValidationError(code, `${message.charAt(0).toUpperCase()}${message.slice(1)}.`, first.param);
}

/** The one global pipe: DTO validation, unknown fields refused, query strings converted. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationErrorFrom,
  });
}
