import type { ErrorType } from '../../errors/tally-error.js';

/** What went wrong: a stable machine-readable `code`, a sentence for people, and the field at fault. */
export class ErrorDetail {
  type!: ErrorType;
  /** Stable; each operation lists the codes it can answer per status. */
  code!: string;
  message!: string;
  /** The request field at fault, when there is one. */
  param?: string;
}

/** Every error answer: `{ "error": { type, code, message, param? } }`. */
export class ErrorEnvelope {
  error!: ErrorDetail;
}
