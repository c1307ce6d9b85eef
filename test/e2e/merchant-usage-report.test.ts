import { LAST_YEAR } from '../support/calendar.js';
import { caller, twoTierMetric, type Call } from '../support/billing-fixtures.js';
import { createMerchant, eventually, useTestStack } from '../support/test-stack.js';

/**
 * GET /v1/billing/report/event/{event_name}?payers=all: every payer's own report (priced on its
 * own usage, as it is billed) added up, against the real API, rollup and database.
 */
describe('the merchant-wide usage report (payers=all)', () => {
  const stack = useTestStack({ worker: true });
  const MARCH = `start=${LAST_YEAR}-03-01T00:00:00Z&end=${LAST_YEAR}-03-04T00:00:00Z`;
  const day = (n: number, hour = 12) => `${LAST_YEAR}-03-0${n}T${String(hour).padStart(2, '0')}:00:00Z`;
  let a: Call;
  let b: Call;
  let sequence = 0;
  const payers: Record<string, string> = {};

  const log = (
    call: Call,
    payer: Record<string, string>,
    value: string,
    timestamp: string,
    region?: string,
  ) =>
    call('POST', '/v1/billing/metering_events', {
      ...payer,
      event_name: 'tiered_calls',
      reference: `all-${(sequence += 1)}`,
      value,
      timestamp,
      ...(region && { metadata: { region } }),
    });

  const report = async (call: Call, query: string) => {
    const answer = await call('GET', `/v1/billing/report/event/tiered_calls?${query}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    a = caller(stack.api.baseUrl, (await createMerchant(stack.api.baseUrl, 'All payers A')).key);
    b = caller(stack.api.baseUrl, (await createMerchant(stack.api.baseUrl, 'All payers B')).key);
    // Ten units at 1.00, the rest at 0.50: priced together, the payers would pay less.
    for (const call of [a, b]) await twoTierMetric(call, 'tiered_calls', 'Tiered calls');
    payers.first = (await a('POST', '/v1/customers', { name: 'First' })).body.id;
    payers.second = (await a('POST', '/v1/customers', { name: 'Second' })).body.id;
    payers.account = (await a('POST', '/v1/accounts', { name: 'Account' })).body.id;
    payers.idle = (await a('POST', '/v1/customers', { name: 'Idle in March' })).body.id;
    const other = (await b('POST', '/v1/customers', { name: 'Of merchant B' })).body.id;

    // A first round, folded by the rollup, then a second one that may still be in the tail.
    const first = [
      await log(a, { customer: payers.first }, '8', day(1), 'eu'),
      await log(a, { customer: payers.second }, '5', day(1, 23), 'us'),
      await log(a, { account: payers.account }, '12', day(2), 'eu'),
      await log(a, { customer: payers.idle }, '100', `${LAST_YEAR}-04-01T00:00:00Z`),
      await log(b, { customer: other }, '1000', day(2)),
    ];
    for (const logged of first) expect(logged.status).toBe(201);
    await eventually(
      async () => {
        for (const [call, logged] of first.map((one, i) => [i === 4 ? b : a, one] as const)) {
          const event = await call('GET', `/v1/billing/metering_events/${logged.body.id}`);
          if (event.body.status !== 'aggregated') return false;
        }
        return true;
      },
      { what: 'the first round to be aggregated' },
    );
    for (const logged of [
      await log(a, { customer: payers.first }, '6', day(3), 'us'),
      await log(a, { account: payers.account }, '8', day(3)),
    ])
      expect(logged.status).toBe(201);
  });

  it('adds up each payer priced on its own: totals, periods, groups, and how many payers', async () => {
    const all = await report(a, `payers=all&${MARCH}&window_size=day&group_by=region`);
    // first 14 → 10 + 2.00 = 12.00; second 5 → 5.00; account 20 → 10 + 5.00 = 15.00.
    expect(all).toMatchObject({
      object: 'metric_usage_report',
      customer: null,
      account: null,
      payers: 'all',
      payer_count: 3,
      event_name: 'tiered_calls',
      quantity: '39',
      amount: '32.00',
      event_count: 5,
      window_size: 'day',
      group_by: 'region',
    });
    expect(all.series.map((p: { quantity: string; amount: string }) => [p.quantity, p.amount])).toEqual([
      ['13', '13.00'],
      ['12', '11.00'],
      ['14', '8.00'],
    ]);
    expect(all.groups).toEqual(
      expect.arrayContaining([
        { value: 'eu', quantity: '20', amount: '19.00', event_count: 2 },
        { value: 'us', quantity: '11', amount: '11.00', event_count: 2 },
        { value: null, quantity: '8', amount: '8.00', event_count: 1 },
      ]),
    );
    expect(all.groups).toHaveLength(3);
  });

  it("equals the sum of the payers' own reports, field by field", async () => {
    const query = `${MARCH}&window_size=day&group_by=region`;
    const own = await Promise.all([
      report(a, `customer_id=${payers.first}&${query}`),
      report(a, `customer_id=${payers.second}&${query}`),
      report(a, `account_id=${payers.account}&${query}`),
    ]);
    const all = await report(a, `payers=all&${query}`);
    const cents = (amounts: string[]) =>
      amounts.reduce((sum, amount) => sum + Math.round(Number(amount) * 100), 0);
    expect(Math.round(Number(all.amount) * 100)).toBe(cents(own.map((one) => one.amount)));
    expect(all.event_count).toBe(own.reduce((sum, one) => sum + one.event_count, 0));
    all.series.forEach((period: { start: string; amount: string; event_count: number }, index: number) => {
      expect(own.every((one) => one.series[index].start === period.start)).toBe(true);
      expect(Math.round(Number(period.amount) * 100)).toBe(cents(own.map((one) => one.series[index].amount)));
      expect(period.event_count).toBe(own.reduce((sum, one) => sum + one.series[index].event_count, 0));
    });
  });

  it('reads only the window, and only its own merchant', async () => {
    const april = await report(
      a,
      `payers=all&start=${LAST_YEAR}-04-01T00:00:00Z&end=${LAST_YEAR}-04-02T00:00:00Z`,
    );
    expect(april).toMatchObject({ payer_count: 1, quantity: '100', amount: '55.00', event_count: 1 });
    const empty = await report(
      a,
      `payers=all&start=${LAST_YEAR}-05-01T00:00:00Z&end=${LAST_YEAR}-05-03T00:00:00Z&window_size=day`,
    );
    expect(empty).toMatchObject({ payer_count: 0, quantity: '0', amount: '0.00', event_count: 0 });
    expect(empty.series).toHaveLength(2);
    expect(await report(b, `payers=all&${MARCH}`)).toMatchObject({ payer_count: 1, quantity: '1000' });
  });

  it.each([
    [
      'with customer_id',
      (p: typeof payers) => `payers=all&customer_id=${p.first}`,
      'payer_conflict',
      'customer_id',
    ],
    [
      'with account_id',
      (p: typeof payers) => `payers=all&account_id=${p.account}`,
      'payer_conflict',
      'account_id',
    ],
    ['not all', () => 'payers=everyone', 'parameter_invalid', 'payers'],
    [
      'with a window ending before it starts',
      () => `payers=all&start=${day(3)}&end=${day(1)}`,
      'invalid_window',
      'end',
    ],
  ])('refuses payers=all %s', async (_, query, code, param) => {
    const answer = await a('GET', `/v1/billing/report/event/tiered_calls?${query(payers)}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code, param });
  });

  it('answers 404 for a metric the merchant does not have', async () => {
    const answer = await a('GET', `/v1/billing/report/event/not_a_metric?payers=all&${MARCH}`);
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('resource_missing');
  });

  it('adds up 1,000 payers, and refuses one more with too_many_payers', async () => {
    const c = caller(stack.api.baseUrl, (await createMerchant(stack.api.baseUrl, 'All payers C')).key);
    const metric = await c('POST', '/v1/billing/metering', {
      name: 'Calls',
      event_name: 'tiered_calls',
      aggregation: 'count',
      unit_amount: '0.01',
    });
    expect(metric.status).toBe(201);
    const customers: string[] = [];
    for (let batch = 0; batch < 1001; batch += 50) {
      const made = await Promise.all(
        Array.from({ length: Math.min(50, 1001 - batch) }, (_, i) =>
          c('POST', '/v1/customers', { name: `payer ${batch + i}` }),
        ),
      );
      customers.push(...made.map((answer) => answer.body.id as string));
    }
    for (let offset = 0; offset < customers.length; offset += 1000) {
      const events = customers.slice(offset, offset + 1000).map((customer, i) => ({
        customer,
        event_name: 'tiered_calls',
        reference: `many-${offset + i}`,
        // The last payer's one event is a day later than the others'.
        timestamp: offset + i === 1000 ? day(2) : day(1),
      }));
      const logged = await c('POST', '/v1/billing/metering_events/batch', { events });
      expect(logged.body.created).toBe(events.length);
    }
    const thousand = await report(c, `payers=all&start=${day(1, 0)}&end=${day(2, 0)}`);
    expect(thousand).toMatchObject({
      payer_count: 1000,
      quantity: '1000',
      amount: '10.00',
      event_count: 1000,
    });
    const more = await c('GET', `/v1/billing/report/event/tiered_calls?payers=all&${MARCH}`);
    expect(more.status).toBe(400);
    expect(more.body.error).toMatchObject({ code: 'too_many_payers', param: 'payers' });
  });
});
