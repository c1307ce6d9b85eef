import autocannon from 'autocannon';
import { post, rollUpEverything, seedEvents, type ReportSetup } from './reports.js';

const TIERS = [
  { up_to: '1000', unit_amount: '0' },
  { up_to: '100000', unit_amount: '0.002' },
  { up_to: null, unit_amount: '0.001' },
];

export interface PreviewFigures {
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  total: string;
}

/**
 * The invoice preview of a payer with `events` events in its window (the last 30 days, seeded
 * with COPY and folded by Tally's own rollup step), read one request after another: service
 * time, not queueing. Two payers: one whose metrics are a graduated sum and a volume count, and
 * one that also has a count_unique metric (package price) over 5,000 distinct values, whose
 * hourly distinct sets (about 460 values in each of 720 hours) the preview must read and unite.
 */
export async function benchPreview(
  baseUrl: string,
  merchant: { id: string; key: string },
  databaseUrl: string,
  events: number,
  seconds: number,
): Promise<{ additive: PreviewFigures; withUnique: PreviewFigures }> {
  const metric = async (aggregation: string, eventName: string, price: unknown) => ({
    id: (
      await post(baseUrl, merchant.key, '/v1/billing/metering', {
        name: eventName,
        event_name: eventName,
        aggregation,
        price,
      })
    ).id,
    eventName,
  });
  const additive = [
    await metric('sum', 'preview_graduated', { model: 'graduated', tiers: TIERS }),
    await metric('count', 'preview_volume', { model: 'volume', tiers: TIERS }),
  ];
  // seedEvents gives unique values to the metric of this event name.
  const unique = await metric('count_unique', 'report_count_unique', {
    model: 'package',
    package_size: '100',
    package_amount: '5.00',
  });
  const end = new Date();
  const start = new Date(end.getTime() - 30 * 86_400_000);
  const payer = async (name: string, metrics: ReportSetup['metrics'], offset: number) => {
    const customer = (await post(baseUrl, merchant.key, '/v1/customers', { name })).id;
    const setup: ReportSetup = {
      baseUrl,
      key: merchant.key,
      merchantId: merchant.id,
      customers: [customer],
      metrics,
    };
    await seedEvents(databaseUrl, setup, events, start, end, offset);
    return customer;
  };
  const plain = await payer('previewed, additive metrics', additive, 0);
  const mixed = await payer('previewed, with count_unique', [...additive, unique], events);
  await rollUpEverything(databaseUrl);
  const measure = async (customer: string): Promise<PreviewFigures> => {
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
  };
  return { additive: await measure(plain), withUnique: await measure(mixed) };
}
