import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * The field may be left out, but `null` is validated like any other value (and so refused by the
 * field's type rule). class-validator's own `IsOptional` skips `null` too: keep that for the fields
 * the document declares `nullable`, whose `null` means something (clear it, or leave it out).
 */
export function Optional(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}
