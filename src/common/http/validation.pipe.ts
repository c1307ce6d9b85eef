import {
  type ArgumentMetadata,
  type ValidationError as ClassValidatorError,
  ValidationPipe,
} from '@nestjs/common';
import { refuseNulCharacters } from './nul-characters.js';
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
  // A wrong value is the more useful `param` than an unknown field; both are listed in the message.
  const invalid = problems.filter((p) => !p.unknown);
  const code = problems.length > 0 && invalid.length === 0 ? 'parameter_unknown' : 'parameter_invalid';
  const first = invalid[0] ?? problems[0];
  const message = problems.length > 0 ? problems.map((p) => p.message).join('; ') : 'the request is invalid';
  return new ValidationError(code, `Invalid request: ${message}.`, first?.param);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Class-validator's pipe, after refusing what no field may hold (NUL characters), typed or not,
 * and a body that is not an object.
 */
class TallyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') refuseNulCharacters(value);
    // Every body is an object: `null`, an array or a bare value is not an empty one.
    if (metadata.type === 'body' && value !== undefined && !isPlainObject(value)) {
      throw new ValidationError('invalid_request', 'The request body must be a JSON object.');
    }
    return super.transform(value, metadata);
  }
}

/** The one global pipe: DTO validation, unknown fields refused, query strings converted. */
export function createValidationPipe(): ValidationPipe {
  return new TallyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationErrorFrom,
  });
}
