import type { Problem } from '../../common/errors/problems.js';
import type { PayerKind } from '../payer.entity.js';

/** The names a request gives the two payer fields: `customer`/`account`, or `customer_id`/`account_id` in queries. */
export interface PayerFieldNames {
  customer: string;
  account: string;
}

export const PAYER_FIELDS: PayerFieldNames = { customer: 'customer', account: 'account' };
export const PAYER_QUERY_FIELDS: PayerFieldNames = { customer: 'customer_id', account: 'account_id' };

export type PayerSelection =
  { ok: true; payer: { kind: PayerKind; id: string } | null } | { ok: false; problem: Problem };

const given = (value: unknown) => value !== undefined && value !== null;

/**
 * The one rule for who pays: a customer or an account, never both. `null` when neither is
 * given (a filter may allow that; `requirePayerSelection` does not).
 */
export function selectPayer(
  input: { customer?: unknown; account?: unknown },
  fields: PayerFieldNames = PAYER_FIELDS,
): PayerSelection {
  const hasCustomer = given(input.customer);
  const hasAccount = given(input.account);
  if (hasCustomer && hasAccount) {
    return {
      ok: false,
      problem: {
        code: 'payer_conflict',
        param: fields.account,
        message: `give ${fields.customer} or ${fields.account}, not both: there is exactly one payer`,
      },
    };
  }
  if (!hasCustomer && !hasAccount) return { ok: true, payer: null };
  const kind: PayerKind = hasCustomer ? 'customer' : 'account';
  const id = input[kind];
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) {
    return {
      ok: false,
      problem: {
        code: 'parameter_invalid',
        param: fields[kind],
        message: `${fields[kind]} must be the id of a ${kind}`,
      },
    };
  }
  return { ok: true, payer: { kind, id } };
}

/** `selectPayer`, with neither payer being a problem too. */
export function requirePayerSelection(
  input: { customer?: unknown; account?: unknown },
  fields: PayerFieldNames = PAYER_FIELDS,
): { ok: true; payer: { kind: PayerKind; id: string } } | { ok: false; problem: Problem } {
  const selection = selectPayer(input, fields);
  if (!selection.ok) return selection;
  if (selection.payer === null) {
    return {
      ok: false,
      problem: {
        code: 'payer_required',
        param: fields.customer,
        message: `${fields.customer} or ${fields.account} is required`,
      },
    };
  }
  return { ok: true, payer: selection.payer };
}
