/** What the client needs to know of one operation of the API beyond its types. */
export interface OperationInfo {
  operationId: string;
  method: string;
  /** The path template, e.g. `/v1/customers/{id}`. */
  path: string;
  /** Safe to send again after a timeout, a 429 or a 5xx (the document's `x-idempotent`). */
  idempotent: boolean;
  /** Takes an `Idempotency-Key` header, which the client supplies when the caller gives none. */
  idempotencyKey: boolean;
}
