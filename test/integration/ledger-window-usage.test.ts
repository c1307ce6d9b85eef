import { DataSource } from 'typeorm';
import { MetricsService } from '../../src/metering/metrics.service.js';
import { BucketBuilder, distinctValues } from '../../src/usage/domain/bucket.js';
import { RollupService } from '../../src/usage/rollup.service.js';
import { UsageLedger } from '../../src/usage/usage-ledger.js';
import { createMerchant, http, useTestStack } from '../support/test-stack.js';
import { LAST_YEAR } from '../support/calendar.js';

const MARCH = {
  start: new Date(`${LAST_YEAR}-03-01T00:00:00Z`),
  end: new Date(`${LAST_YEAR}-04-01T00:00:00Z`),
};

/**
 * A credit draw prices the payer's whole window from the usage ledger's one row per metric that
 * PostgreSQL merges from the hourly buckets: it must be exactly the merge the domain's
 * BucketBuilder makes of them.
 */
describe("the usage ledger's window usage (what a credit window prices)", () => {
  const stack = useTestStack();
  let key: string;
  let merchantId: string;
  const call = (method: string, url: string, body?: unknown) =>
    http(stack.api.baseUrl, method, url, { key, body });

  beforeAll(async () => {
    const merchant = await createMerchant(stack.api.baseUrl);
    key = merchant.key;
    merchantId = merchant.id;
  });

  it('is every hourly bucket of the window merged per metric, distinct values united once', async () => {
    const customer = (await call('POST', '/v1/customers', {})).body.id;
    const metrics: Array<{ id: string; event_name: string; aggregation: string }> = [];
    for (const [aggregation, extra] of [
      ['sum', {}],
      ['count_unique', {}],
      ['time_duration', { time_unit: 'minute' }],
      ['markup_percentage', {}],
    ] as const) {
      const created = await call('POST', '/v1/billing/metering', {
        name: `window ${aggregation}`,
        event_name: `window_${aggregation}`,
        aggregation,
        unit_amount: '0.37',
        ...extra,
      });
      expect(created.status).toBe(201);
      metrics.push(created.body);
    }
    const events: Array<Record<string, unknown>> = [];
    // March spread over many hours, plus the last hour of February and the first of April.
    const stamps = [`${LAST_YEAR}-02-28T23:30:00Z`, `${LAST_YEAR}-04-01T00:00:00Z`];
    for (let i = 0; i < 60; i += 1) {
      const day = String(1 + (i % 31)).padStart(2, '0');
      stamps.push(
        `${LAST_YEAR}-03-${day}T${String((i * 7) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`,
      );
    }
    stamps.forEach((timestamp, i) => {
      const metric = metrics[i % 4]!;
      const base = { customer, event_name: metric.event_name, reference: `window-${i}`, timestamp };
      if (metric.aggregation === 'count_unique') events.push({ ...base, value: `user-${i % 5}` });
      else if (metric.aggregation === 'time_duration') {
        const start = Date.parse(timestamp);
        events.push({
          ...base,
          start_time: new Date(start).toISOString(),
          end_time: new Date(start + (i + 1) * 61_000).toISOString(),
        });
      } else if (metric.aggregation === 'markup_percentage')
        events.push({ ...base, value: `${i}.125`, markup_percentage: 12.5 });
      else events.push({ ...base, value: `${i}.01` });
    });
    const logged = await call('POST', '/v1/billing/metering_events/batch', { events });
    expect(logged.body.created).toBe(events.length);
    const rollup = stack.api.app.get(RollupService);
    while ((await rollup.rollUpBatch(25)).folded > 0);

    const hourly = await stack.sql.query(
      `SELECT metric_id, count, sum::text, markup_sum::text, duration_ms::text, distinct_counts
         FROM usage_buckets WHERE merchant_id = $1 AND payer_id = $2 AND hour >= $3 AND hour < $4`,
      [merchantId, customer, MARCH.start, MARCH.end],
    );
    expect(hourly.rows.length).toBeGreaterThan(40);
    const expected = new Map<string, BucketBuilder>();
    for (const row of hourly.rows) {
      const builder = expected.get(row.metric_id) ?? new BucketBuilder();
      builder.add({
        count: Number(row.count),
        sum: row.sum,
        markupSum: row.markup_sum,
        durationMs: row.duration_ms,
        distinct: row.distinct_counts,
      });
      expected.set(row.metric_id, builder);
    }

    const db = stack.api.app.get(DataSource);
    const usage = await stack.api.app
      .get(UsageLedger)
      .windowUsage(db.manager, merchantId, customer, MARCH.start, MARCH.end);
    expect(usage.map((metric) => [metric.metricId, metric.state])).toEqual(
      [...expected]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([metricId, builder]) => [metricId, builder.build()]),
    );
    const pricing = await stack.api.app.get(MetricsService).pricing(
      merchantId,
      usage.map((metric) => metric.metricId),
    );
    expect(pricing.map((metric) => metric.aggregation).sort()).toEqual(
      ['count_unique', 'markup_percentage', 'sum', 'time_duration'].sort(),
    );
    const uniqueId = pricing.find((metric) => metric.aggregation === 'count_unique')!.id;
    const unique = usage.find((metric) => metric.metricId === uniqueId)!;
    expect(distinctValues(unique.state)).toEqual(['user-0', 'user-1', 'user-2', 'user-3', 'user-4']);

    // Nothing outside the window: the hour before it holds only February's event.
    const before = new Date(MARCH.start.getTime() - 3_600_000);
    const february = await stack.api.app
      .get(UsageLedger)
      .windowUsage(db.manager, merchantId, customer, before, MARCH.start);
    expect(february.map((metric) => metric.state.count).reduce((a, b) => a + b, 0)).toBe(1);
  });
});
