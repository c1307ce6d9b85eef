import { ValidationError } from './tally-error.js';

/** One thing wrong with a request, with the stable code the API answers. */
export interface Problem {
  code: string;
  param?: string;
  message: string;
}

/** One 400 naming every problem: the first one's code and param, all messages. */
export function validationErrorFromProblems(problems: Problem[]): ValidationError {
  const [first] = problems;
  const message = problems.map((p) => p.message).join('; ');
  return new ValidationError(
    first?.code ?? 'parameter_invalid',
    `Invalid request: ${message}.`,
    first?.param,
  );
}
