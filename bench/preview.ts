import autocannon from 'autocannon';
import { rollUpEverything, seedEvents, type ReportSetup } from './reports.js';

async function post(baseUrl: string, key: string, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201)
    throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string };
}

const TIERS = [
  { up_to: '1000', unit_amount: '0' },
  { up_to: '100000', unit_amount: '0.002' },
  { up_to: null, unit_amount: '0.001' },
];

/**
 * The invoice preview of one payer with `events` events in its window (the last 30 days, seeded
 * with COPY over three tiered metrics: graduated sum, volume count, package count_unique, and
 * folded by Tally's own rollup step), read one request after another: service time, not queueing.
 */
export async function benchPreview(
  baseUrl: string,
  merchant: { id: string; key: string },
  databaseUrl: string,
  events: number,
  seconds: number,
): Promise<{ p50Ms: number; p99Ms: number; requestsPerSecond: number; total: string }> {
  const customer = (await post(baseUrl, merchant.key, '/v1/customers', { name: 'previewed' })).id;
  const metrics = [];
  for (const [aggregation, eventName, price] of [
    ['sum', 'preview_graduated', { model: 'graduated', tiers: TIERS }],
    ['count', 'preview_volume', { model: 'volume', tiers: TIERS }],
    // seedEvents gives unique values to the metric of this event name.
    [
      'count_unique',
      'report_count_unique',
      { model: 'package', package_size: '100', package_amount: '5.00' },
    ],
  ] as const) {
    const metric = await post(baseUrl, merchant.key, '/v1/billing/metering', {
      name: eventName,
      event_name: eventName,
      aggregation,
      price,
    });
    metrics.push({ id: metric.id, eventName });
  }
  const setup: ReportSetup = {
    baseUrl,
    key: merchant.key,
    merchantId: merchant.id,
    customers: [customer],
    metrics,
  };
  const end = new Date();
  const start = new Date(end.getTime() - 30 * 86_400_000);
  await seedEvents(databaseUrl, setup, events, start, end, 0);
  await rollUpEverything(databaseUrl);
  const url = `${baseUrl}/v1/invoices/upcoming?customer=${customer}&start_date=${start.toISOString()}&end_date=${end.toISOString()}`;
  const headers = { authorization: `Bearer ${merchant.key}` };
  const first = (await (await fetch(url, { headers })).json()) as { total: string };
  const result = await autocannon({ url, connections: 1, duration: seconds, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`preview: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requestsPerSecond: Math.round(result.requests.average),
    total: first.total,
  };
}
