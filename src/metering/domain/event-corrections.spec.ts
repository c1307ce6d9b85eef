import {
  amendedBody,
  changesBetween,
  checkAmendment,
  type CorrectionRecord,
  type EventFields,
  eventStateAsOf,
} from './event-corrections.js';

const fields: EventFields = {
  customer: 'cus_a',
  account: null,
  value: '2',
  timestamp: '2025-03-10T12:00:00.000Z',
  start_time: null,
  end_time: null,
  markup_percentage: null,
  metadata: { region: 'eu' },
};

describe('checkAmendment', () => {
  it('takes the content fields, a reason and expected_version', () => {
    expect(checkAmendment({ value: 3, reason: 'fix', expected_version: 2 })).toEqual({
      ok: true,
      value: { patch: { value: 3 }, reason: 'fix', expectedVersion: 2 },
    });
  });

  it.each<[unknown, string, string | undefined]>([
    [{}, 'parameter_missing', undefined],
    [undefined, 'parameter_missing', undefined],
    [{ reason: 'only' }, 'parameter_missing', undefined],
    [{ event_name: 'x' }, 'parameter_unknown', 'event_name'],
    [{ reference: 'x' }, 'parameter_unknown', 'reference'],
    [{ value: 1, reason: '' }, 'parameter_invalid', 'reason'],
    [{ value: 1, expected_version: 0 }, 'parameter_invalid', 'expected_version'],
    [{ value: 1, expected_version: '2' }, 'parameter_invalid', 'expected_version'],
    [{ timestamp: null }, 'parameter_invalid', 'timestamp'],
    [{ account: null }, 'parameter_invalid', 'account'],
    [[], 'invalid_request', undefined],
  ])('refuses %j with %s', (body, code, param) => {
    const checked = checkAmendment(body);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problems[0]).toMatchObject({ code, ...(param && { param }) });
  });
});

describe('amendedBody', () => {
  const current = { ...fields, event_name: 'calls', reference: 'r-1' };

  it('lays the patch over the current version', () => {
    expect(amendedBody(current, { value: 5, metadata: null })).toEqual({
      customer: 'cus_a',
      event_name: 'calls',
      reference: 'r-1',
      value: 5,
      timestamp: fields.timestamp,
      start_time: null,
      end_time: null,
      markup_percentage: null,
      metadata: null,
    });
  });

  it('replaces the payer of the other kind, and keeps both when both are given', () => {
    expect(amendedBody(current, { account: 'acct_b' })).toMatchObject({ account: 'acct_b' });
    expect(amendedBody(current, { account: 'acct_b' })).not.toHaveProperty('customer');
    expect(amendedBody(current, { account: 'acct_b', customer: 'cus_c' })).toMatchObject({
      account: 'acct_b',
      customer: 'cus_c',
    });
  });
});

describe('changesBetween', () => {
  it('names the fields that differ, metadata compared by content', () => {
    expect(changesBetween(fields, { ...fields, metadata: { region: 'eu' } })).toEqual({});
    expect(changesBetween(fields, { ...fields, value: '3', customer: null, account: 'acct_b' })).toEqual({
      value: { from: '2', to: '3' },
      customer: { from: 'cus_a', to: null },
      account: { from: null, to: 'acct_b' },
    });
  });
});

describe('eventStateAsOf', () => {
  const row = (id: string, version: number, sign: number) => ({ id, version, sign });
  const correction = (version: number, action: 'amended' | 'voided'): CorrectionRecord => ({
    version,
    action,
    rowId: action === 'amended' ? `v${version}` : null,
    reversalId: `r${version - 1}`,
    changes: {},
    reason: null,
    apiKeyId: null,
    createdAt: new Date(0),
  });
  const rows = [row('v1', 1, 1), row('r1', 1, -1), row('v2', 2, 1), row('r2', 2, -1)];
  const corrections = [correction(2, 'amended'), correction(3, 'voided')];

  it('is the event as logged without corrections', () => {
    expect(eventStateAsOf([row('v1', 1, 1)], [])).toMatchObject({
      version: 1,
      voided: false,
      amended: false,
      current: { id: 'v1' },
    });
  });

  it('shows the last version before a void, and any past version', () => {
    expect(eventStateAsOf(rows, corrections)).toMatchObject({
      version: 3,
      voided: true,
      amended: true,
      current: { id: 'v2' },
    });
    expect(eventStateAsOf(rows, corrections, 2)).toMatchObject({
      version: 2,
      voided: false,
      amended: true,
      current: { id: 'v2' },
    });
    expect(eventStateAsOf(rows, corrections, 1)).toMatchObject({ version: 1, current: { id: 'v1' } });
  });
});
