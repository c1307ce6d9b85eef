import { registerDecorator, type ValidationOptions } from 'class-validator';

export const METADATA_LIMITS = { maxKeys: 50, maxKeyLength: 40, maxValueLength: 500 } as const;

export type Metadata = Record<string, string>;

/** Why `value` is not valid metadata (string → string, bounded), or null when it is. */
export function metadataProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'metadata must be an object of string keys to string values';
  }
  const entries = Object.entries(value);
  if (entries.length > METADATA_LIMITS.maxKeys)
    return `metadata may have at most ${METADATA_LIMITS.maxKeys} keys`;
  for (const [key, item] of entries) {
    if (key.length === 0 || key.length > METADATA_LIMITS.maxKeyLength) {
      return `metadata keys must be 1 to ${METADATA_LIMITS.maxKeyLength} characters ('${key.slice(0, 50)}' is not)`;
    }
    if (typeof item !== 'string') return `metadata.${key} must be a string`;
    if (item.length > METADATA_LIMITS.maxValueLength) {
      return `metadata.${key} may be at most ${METADATA_LIMITS.maxValueLength} characters`;
    }
  }
  return null;
}

/** class-validator decorator for `metadataProblem`. */
export function IsMetadata(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isMetadata',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => metadataProblem(value) === null,
        defaultMessage: (args) => metadataProblem(args?.value) ?? 'metadata is invalid',
      },
    });
}
