import { RollupService } from '../../src/usage/rollup.service.js';
import { createMerchant, http, useTestStack } from '../support/test-stack.js';
import { LAST_YEAR } from '../support/calendar.js';

const WINDOW = `start=${LAST_YEAR}-03-01T00:00:00Z&end=${LAST_YEAR}-04-01T00:00:00Z`;

describe('the rollup step: exact before and after, safe to run twice or at once', () => {
  // No worker: this file runs the rollup's step itself, to choose when it happens.
  const stack = useTestStack();
  let key: string;
  const call = (method: string, url: string, body?: unknown) =>
    http(stack.api.baseUrl, method, url, { key, body });

  beforeAll(async () => {
    key = (await createMerchant(stack.api.baseUrl)).key;
  });

  it('reports the same before the rollup, after two concurrent runs, and after a third', async () => {
    const customer = (await call('POST', '/v1/customers', {})).body.id;
    const metrics = [];
    for (const [aggregation, extra] of [
      ['sum', {}],
      ['count_unique', {}],
      ['time_duration', { time_unit: 'second' }],
      ['markup_percentage', {}],
    ] as const) {
      metrics.push(
        (
          await call('POST', '/v1/billing/metering', {
            name: aggregation,
            event_name: `rollup_${aggregation}`,
            aggregation,
            unit_amount: '0.5',
            ...extra,
          })
        ).body,
      );
    }
    const events = [];
    for (let i = 0; i < 40; i += 1) {
      const hour = String(i % 24).padStart(2, '0');
      events.push({
        customer,
        event_name: metrics[i % 4].event_name,
        reference: `rollup-${i}`,
        timestamp: `${LAST_YEAR}-03-${String(1 + (i % 28)).padStart(2, '0')}T${hour}:15:00Z`,
        value: i % 4 === 1 ? `user-${i % 7}` : `${i}.25`,
        markup_percentage: 12.5,
        start_time: `${LAST_YEAR}-03-02T${hour}:50:00Z`,
        end_time: `${LAST_YEAR}-03-02T${hour}:59:59Z`,
      });
    }
    const batch = await call('POST', '/v1/billing/metering_events/batch', {
      events: events.map((e, i) => {
        const { markup_percentage, start_time, end_time, value, ...rest } = e;
        if (i % 4 === 0) return { ...rest, value };
        if (i % 4 === 1) return { ...rest, value };
        if (i % 4 === 2) return { ...rest, start_time, end_time };
        return { ...rest, value, markup_percentage };
      }),
    });
    expect(batch.body.created).toBe(40);

    const report = async () =>
      (await call('GET', `/v1/billing/report/customer?customer_id=${customer}&${WINDOW}`)).body;
    const before = await report();
    expect(before.metrics.every((line: { event_count: number }) => line.event_count === 10)).toBe(true);

    const rollup = stack.api.app.get(RollupService);
    const [first, second] = await Promise.all([rollup.rollUpBatch(25), rollup.rollUpBatch(25)]);
    expect(first.folded + second.folded).toBe(40);
    expect(await report()).toEqual(before);

    expect((await rollup.rollUpBatch(100)).folded).toBe(0);
    expect(await report()).toEqual(before);
    const stored = await stack.sql.query(
      "SELECT count(*)::int AS n FROM billing_metric_events WHERE status = 'aggregated' AND aggregated_at IS NOT NULL",
    );
    expect(stored.rows[0].n).toBe(40);
  });
});
