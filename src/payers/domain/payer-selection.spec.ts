import { PAYER_QUERY_FIELDS, requirePayerSelection, selectPayer } from './payer-selection.js';

describe('who pays: exactly one of customer / account', () => {
  it.each([
    [{ customer: 'cus_1' }, { kind: 'customer', id: 'cus_1' }],
    [{ account: 'acct_1' }, { kind: 'account', id: 'acct_1' }],
    [
      { customer: 'cus_1', account: null },
      { kind: 'customer', id: 'cus_1' },
    ],
    [{}, null],
    [{ customer: null, account: undefined }, null],
  ])('selects %j as %j', (input, payer) => {
    expect(selectPayer(input)).toEqual({ ok: true, payer });
  });

  it.each([
    [{ customer: 'cus_1', account: 'acct_1' }, 'payer_conflict', 'account'],
    [{ customer: '' }, 'parameter_invalid', 'customer'],
    [{ account: 42 }, 'parameter_invalid', 'account'],
    [{ customer: 'c'.repeat(65) }, 'parameter_invalid', 'customer'],
  ])('refuses %j with %s on %s', (input, code, param) => {
    expect(selectPayer(input)).toMatchObject({ ok: false, problem: { code, param } });
  });

  it('requires one when asked to, naming the fields as the request does', () => {
    expect(requirePayerSelection({})).toMatchObject({
      ok: false,
      problem: { code: 'payer_required', param: 'customer', message: 'customer or account is required' },
    });
    expect(requirePayerSelection({}, PAYER_QUERY_FIELDS)).toMatchObject({
      ok: false,
      problem: {
        code: 'payer_required',
        param: 'customer_id',
        message: 'customer_id or account_id is required',
      },
    });
    expect(requirePayerSelection({ customer: 'cus_1', account: 'acct_1' }, PAYER_QUERY_FIELDS)).toMatchObject(
      { ok: false, problem: { code: 'payer_conflict', param: 'account_id' } },
    );
    expect(requirePayerSelection({ account: 'acct_1' })).toEqual({
      ok: true,
      payer: { kind: 'account', id: 'acct_1' },
    });
  });
});
