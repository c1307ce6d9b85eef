import { createMerchant, http, useTestStack } from '../support/test-stack.js';
import { LAST_YEAR } from '../support/calendar.js';

const WINDOW = `start=${LAST_YEAR}-01-01T00:00:00Z&end=${LAST_YEAR}-02-01T00:00:00Z`;

describe('aggregation, the rollup and usage reports, end to end on the real servers', () => {
  const stack = useTestStack({ worker: true });
  let key: string;
  let customer: string;
  let sequence = 0;
  const call = (method: string, url: string, body?: unknown) =>
    http(stack.api.baseUrl, method, url, { key, body });

  async function metric(aggregation: string, extra: Record<string, unknown> = {}) {
    const eventName = `${aggregation}_${(sequence += 1)}`;
    const response = await call('POST', '/v1/billing/metering', {
      name: eventName,
      event_name: eventName,
      aggregation,
      unit_amount: '1',
      ...extra,
    });
    expect(response.status).toBe(201);
    return response.body as { id: string; event_name: string };
  }

  async function log(eventName: string, fields: Record<string, unknown>, payer = customer) {
    const response = await call('POST', '/v1/billing/metering_events', {
      customer: payer,
      event_name: eventName,
      reference: `r-${(sequence += 1)}`,
      timestamp: `${LAST_YEAR}-01-10T12:00:00Z`,
      ...fields,
    });
    expect([200, 201]).toContain(response.status);
    return response.body as { id: string };
  }

  async function untilAggregated(ids: string[]) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const statuses = await Promise.all(
        ids.map(async (id) => (await call('GET', `/v1/billing/metering_events/${id}`)).body.status),
      );
      if (statuses.every((status) => status === 'aggregated')) return;
      if (Date.now() > deadline) throw new Error(`events not aggregated within 20 s: ${statuses.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function quantity(eventName: string, window = WINDOW, payer = customer) {
    const response = await call(
      'GET',
      `/v1/billing/report/event/${eventName}?customer_id=${payer}&${window}`,
    );
    expect(response.status).toBe(200);
    return response.body.quantity as string;
  }

  beforeAll(async () => {
    key = (await createMerchant(stack.api.baseUrl)).key;
    customer = (await call('POST', '/v1/customers', { name: 'Ada' })).body.id;
  });

  it.each([
    ['sum', {}, [{ value: 1 }, { value: '2' }, { value: 3.5 }], '6.5'],
    ['count', {}, [{}, {}, {}], '3'],
    ['count_unique', {}, [{ value: 'u1' }, { value: 'u2' }, { value: 'u1' }], '2'],
    ['average', {}, [{ value: 10 }, { value: 20 }], '15'],
    [
      'time_duration',
      { time_unit: 'minute' },
      [
        { start_time: `${LAST_YEAR}-01-10T10:00:00Z`, end_time: `${LAST_YEAR}-01-10T10:01:00Z` },
        { start_time: `${LAST_YEAR}-01-10T11:00:00Z`, end_time: `${LAST_YEAR}-01-10T11:02:00Z` },
      ],
      '3',
    ],
    [
      'markup_percentage',
      {},
      [
        { value: 1000, markup_percentage: 2.5 },
        { value: 200, markup_percentage: 10 },
      ],
      '45',
    ],
  ])('%s: events are aggregated and reported exactly', async (aggregation, extra, events, expected) => {
    const m = await metric(aggregation, extra);
    const logged = [];
    for (const fields of events) logged.push(await log(m.event_name, fields));
    await untilAggregated(logged.map((e) => e.id));
    expect(await quantity(m.event_name)).toBe(expected);
  });

  it('keeps events outside [start, end) out of the window, and backfilled events land in their own hour', async () => {
    const m = await metric('count');
    const ids = [
      (await log(m.event_name, { timestamp: `${LAST_YEAR - 1}-12-31T23:59:59Z` })).id,
      (await log(m.event_name, { timestamp: `${LAST_YEAR}-01-01T00:00:00Z` })).id,
      (await log(m.event_name, { timestamp: `${LAST_YEAR}-01-31T23:59:59Z` })).id,
      (await log(m.event_name, { timestamp: `${LAST_YEAR}-02-01T00:00:00Z` })).id,
      (await log(m.event_name, { timestamp: `${LAST_YEAR}-01-05T07:30:00Z` })).id,
    ];
    await untilAggregated(ids);
    expect(await quantity(m.event_name)).toBe('3');
    const hour = await call(
      'GET',
      `/v1/billing/report/event/${m.event_name}?customer_id=${customer}&start=${LAST_YEAR}-01-05T06:00:00Z&end=${LAST_YEAR}-01-05T09:00:00Z&window_size=hour`,
    );
    expect(hour.body.series.map((p: { start: string; quantity: string }) => [p.start, p.quantity])).toEqual([
      [`${LAST_YEAR}-01-05T06:00:00.000Z`, '0'],
      [`${LAST_YEAR}-01-05T07:00:00.000Z`, '1'],
      [`${LAST_YEAR}-01-05T08:00:00.000Z`, '0'],
    ]);
  });

  it('is exact for windows with partial hours, before and after the rollup', async () => {
    const count = await metric('count');
    const duration = await metric('time_duration', { time_unit: 'minute' });
    const window = `start=${LAST_YEAR}-01-20T10:30:00Z&end=${LAST_YEAR}-01-20T12:15:00Z`;
    const ids = [
      (await log(count.event_name, { timestamp: `${LAST_YEAR}-01-20T10:10:00Z` })).id,
      (await log(count.event_name, { timestamp: `${LAST_YEAR}-01-20T10:40:00Z` })).id,
      (await log(count.event_name, { timestamp: `${LAST_YEAR}-01-20T11:20:00Z` })).id,
      (await log(count.event_name, { timestamp: `${LAST_YEAR}-01-20T12:14:59Z` })).id,
      (await log(count.event_name, { timestamp: `${LAST_YEAR}-01-20T12:15:00Z` })).id,
      // 10:00–12:30 overlaps the window for 10:30–12:15: 105 minutes.
      (
        await log(duration.event_name, {
          start_time: `${LAST_YEAR}-01-20T10:00:00Z`,
          end_time: `${LAST_YEAR}-01-20T12:30:00Z`,
        })
      ).id,
    ];
    await untilAggregated(ids);
    expect(await quantity(count.event_name, window)).toBe('3');
    expect(await quantity(duration.event_name, window)).toBe('105');
    expect(
      await quantity(count.event_name, `start=${LAST_YEAR}-01-20T10:05:00Z&end=${LAST_YEAR}-01-20T10:45:00Z`),
    ).toBe('2');
  });

  it('does not count replays twice', async () => {
    const m = await metric('sum');
    const body = {
      customer,
      event_name: m.event_name,
      reference: `replay-${(sequence += 1)}`,
      value: 4,
      timestamp: `${LAST_YEAR}-01-10T12:00:00Z`,
    };
    const first = await call('POST', '/v1/billing/metering_events', body);
    await call('POST', '/v1/billing/metering_events', body);
    await call('POST', '/v1/billing/metering_events/batch', { events: [body, body] });
    await untilAggregated([first.body.id]);
    expect(await quantity(m.event_name)).toBe('4');
  });

  it('prices each metric, totals per currency, and itemizes', async () => {
    const other = (await call('POST', '/v1/customers', { name: 'Priced' })).body.id;
    const calls = await metric('count', { unit_amount: '0.001' });
    const storage = await metric('sum', { unit_amount: '0.25', currency: 'eur' });
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push((await log(calls.event_name, {}, other)).id);
    ids.push((await log(storage.event_name, { value: '10.1' }, other)).id);
    await untilAggregated(ids);
    const report = await call('GET', `/v1/billing/report/customer?customer_id=${other}&${WINDOW}`);
    expect(report.status).toBe(200);
    const line = (id: string) => report.body.metrics.find((l: { metric: string }) => l.metric === id);
    expect(line(calls.id)).toMatchObject({ quantity: '5', amount: '0.01', currency: 'usd', event_count: 5 });
    expect(line(storage.id)).toMatchObject({ quantity: '10.1', amount: '2.53', currency: 'eur' });
    expect(report.body.totals).toEqual(expect.arrayContaining([{ currency: 'eur', amount: '2.53' }]));
    const itemized = await call('GET', `/v1/billing/report/events?customer_id=${other}&${WINDOW}`);
    expect(itemized.body.data.map((l: { metric: string }) => l.metric).sort()).toEqual(
      [calls.id, storage.id].sort(),
    );
  });

  it('breaks a metric down by a metadata key', async () => {
    const m = await metric('sum');
    const ids = [
      (await log(m.event_name, { value: 1, metadata: { region: 'eu' } })).id,
      (await log(m.event_name, { value: 2, metadata: { region: 'us' } })).id,
      (await log(m.event_name, { value: 3, metadata: { region: 'eu' } })).id,
    ];
    await untilAggregated(ids);
    const report = await call(
      'GET',
      `/v1/billing/report/event/${m.event_name}?customer_id=${customer}&${WINDOW}&group_by=region`,
    );
    const groups = Object.fromEntries(
      report.body.groups.map((g: { value: string; quantity: string }) => [g.value, g.quantity]),
    );
    expect(groups).toEqual({ eu: '4', us: '2' });
  });

  it.each([
    ['no payer', WINDOW, 400, 'payer_required'],
    ['an unknown customer', `customer_id=cus_01m87f3khh3qy3m9gcybpffz7f&${WINDOW}`, 404, 'resource_missing'],
    [
      'an end before the start',
      `customer_id=CUSTOMER&start=${LAST_YEAR}-02-01T00:00:00Z&end=${LAST_YEAR}-01-01T00:00:00Z`,
      400,
      'invalid_window',
    ],
    ['a bad date', 'customer_id=CUSTOMER&start=soon', 400, 'parameter_invalid'],
  ])('answers %s with an error', async (_label, query, status, code) => {
    const response = await call('GET', `/v1/billing/report/customer?${query.replace('CUSTOMER', customer)}`);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
  });

  it('answers 404 for unknown subscriptions and threshold progress, until those exist', async () => {
    expect((await call('GET', '/v1/billing/report/subscription?subscription_id=sub_x')).status).toBe(404);
    expect((await call('GET', `/v1/billing/report/threshold_progress?customer_id=${customer}`)).status).toBe(
      404,
    );
  });

  it('shows the rollup progress in the workflow query and /readyz', async () => {
    const response = await http(stack.api.baseUrl, 'GET', '/readyz');
    expect(response.body.rollup.progress).toMatchObject({
      eventsFolded: expect.any(Number),
      lastEventId: expect.stringMatching(/^bme_/),
    });
    expect(response.body.rollup.progress.eventsFolded).toBeGreaterThan(0);
  });
});
