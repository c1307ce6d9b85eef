import { QueryFailedError } from 'typeorm';

/** True for a unique-key violation (of `constraint`, when named); these become domain answers, not 500s. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}
