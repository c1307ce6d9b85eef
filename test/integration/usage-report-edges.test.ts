import { createMerchant, http, useTestStack } from '../support/test-stack.js';
import { LAST_YEAR } from '../support/calendar.js';

/**
 * A partial hour at a report's edge is read from its stored buckets less the few events of that
 * hour outside the window (a window ending "now" in a busy hour), or from raw events when those
 * carry count_unique values: either way the answer is the exact one.
 */
describe('usage reports with partial-hour edges, read from buckets or raw events', () => {
  const stack = useTestStack({ worker: true });
  let key: string;
  let sequence = 0;
  const day = `${LAST_YEAR}-03-10`;
  const call = (method: string, url: string, body?: unknown) =>
    http(stack.api.baseUrl, method, url, { key, body });

  async function metric(aggregation: string, extra: Record<string, unknown> = {}) {
    const eventName = `edge_${aggregation}_${(sequence += 1)}`;
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

  async function log(payer: string, eventName: string, fields: Record<string, unknown>) {
    const response = await call('POST', '/v1/billing/metering_events', {
      customer: payer,
      event_name: eventName,
      reference: `edge-${(sequence += 1)}`,
      ...fields,
    });
    expect(response.status).toBe(201);
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

  async function quantity(payer: string, eventName: string, start: string, end: string, extra = '') {
    const response = await call(
      'GET',
      `/v1/billing/report/event/${eventName}?customer_id=${payer}&start=${day}T${start}Z&end=${day}T${end}Z${extra}`,
    );
    expect(response.status).toBe(200);
    return response.body as { quantity: string; series?: { start: string; quantity: string }[] };
  }

  beforeAll(async () => {
    key = (await createMerchant(stack.api.baseUrl)).key;
  });

  it('is exact when the edges hold every event of their hours, and once other events arrive there', async () => {
    const payer = (await call('POST', '/v1/customers', { name: 'Edges' })).body.id as string;
    const sum = await metric('sum');
    const unique = await metric('count_unique');
    const duration = await metric('time_duration', { time_unit: 'minute' });
    const ids = [
      (await log(payer, sum.event_name, { value: '1.25', timestamp: `${day}T11:40:00Z` })).id,
      (await log(payer, sum.event_name, { value: 2, timestamp: `${day}T12:10:00Z` })).id,
      (await log(payer, sum.event_name, { value: 4, timestamp: `${day}T12:29:59.999Z` })).id,
      (await log(payer, unique.event_name, { value: 'a', timestamp: `${day}T11:45:00Z` })).id,
      (await log(payer, unique.event_name, { value: 'a', timestamp: `${day}T12:05:00Z` })).id,
      (await log(payer, unique.event_name, { value: 'b', timestamp: `${day}T12:06:00Z` })).id,
      (
        await log(payer, duration.event_name, {
          timestamp: `${day}T11:50:00Z`,
          start_time: `${day}T11:35:00Z`,
          end_time: `${day}T12:20:00Z`,
        })
      ).id,
    ];
    await untilAggregated(ids);
    // [11:30, 12:30): nothing else in 11:00–13:00, so both edges come from the buckets.
    expect((await quantity(payer, sum.event_name, '11:30:00', '12:30:00')).quantity).toBe('7.25');
    expect((await quantity(payer, unique.event_name, '11:30:00', '12:30:00')).quantity).toBe('2');
    expect((await quantity(payer, duration.event_name, '11:30:00', '12:30:00')).quantity).toBe('45');
    expect(
      (await quantity(payer, sum.event_name, '11:30:00', '12:30:00', '&window_size=hour')).series?.map(
        (period) => [period.start, period.quantity],
      ),
    ).toEqual([
      [`${day}T11:30:00.000Z`, '1.25'],
      [`${day}T12:00:00.000Z`, '6'],
    ]);
    // A window inside one hour, and one across two partial hours with no whole hour.
    expect((await quantity(payer, sum.event_name, '12:00:00', '12:45:00')).quantity).toBe('6');
    expect((await quantity(payer, sum.event_name, '11:35:00', '12:40:00')).quantity).toBe('7.25');

    // Events outside the window in the edges' hours are subtracted from the buckets (a distinct
    // value too: buckets count the events carrying each value).
    const later = [
      (await log(payer, sum.event_name, { value: 100, timestamp: `${day}T12:30:00Z` })).id,
      (await log(payer, sum.event_name, { value: 1000, timestamp: `${day}T11:29:59Z` })).id,
      (await log(payer, unique.event_name, { value: 'c', timestamp: `${day}T12:45:00Z` })).id,
      (
        await log(payer, duration.event_name, {
          timestamp: `${day}T12:50:00Z`,
          start_time: `${day}T12:25:00Z`,
          end_time: `${day}T12:55:00Z`,
        })
      ).id,
    ];
    await untilAggregated(later);
    expect((await quantity(payer, sum.event_name, '11:30:00', '12:30:00')).quantity).toBe('7.25');
    expect((await quantity(payer, unique.event_name, '11:30:00', '12:30:00')).quantity).toBe('2');
    expect((await quantity(payer, duration.event_name, '11:30:00', '12:30:00')).quantity).toBe('50');
    expect((await quantity(payer, sum.event_name, '11:00:00', '13:00:00')).quantity).toBe('1107.25');
    expect(
      (await quantity(payer, sum.event_name, '11:30:00', '12:30:00', '&window_size=hour')).series?.map(
        (period) => [period.start, period.quantity],
      ),
    ).toEqual([
      [`${day}T11:30:00.000Z`, '1.25'],
      [`${day}T12:00:00.000Z`, '6'],
    ]);
    const report = await call(
      'GET',
      `/v1/billing/report/customer?customer_id=${payer}&start=${day}T11:30:00Z&end=${day}T12:30:00Z`,
    );
    const line = (id: string) =>
      report.body.metrics.find((entry: { metric: string }) => entry.metric === id)?.quantity;
    expect([line(sum.id), line(unique.id), line(duration.id)]).toEqual(['7.25', '2', '50']);
  });
});
