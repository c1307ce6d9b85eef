import { caller, customerWithCard, manualDraft, sumMetric, type Call } from '../support/billing-fixtures.js';
import { freePort, startWorkerProcess, type TallyProcess } from '../support/tally-process.js';
import { createMerchant, eventually, http, useTestStack } from '../support/test-stack.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { TEMPORAL_WORKER_METRICS } from '../../src/observability/exported-metrics.js';

const TOKEN = 'metrics-token-for-the-test-0123';

/** `name{labels} value` lines of the Prometheus text format, as name → [labels, value]. */
function parse(text: string): Map<string, { labels: Record<string, string>; value: number }[]> {
  const series = new Map<string, { labels: Record<string, string>; value: number }[]>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    const list = series.get(match[1]!) ?? [];
    list.push({ labels, value: Number(match[3]) });
    series.set(match[1]!, list);
  }
  return series;
}

type Scrape = ReturnType<typeof parse>;

/** The value of the one series of `name` whose labels include `labels` (0 when there is none). */
function valueOf(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  const found = (scrape.get(name) ?? []).filter((s) =>
    Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} series`);
  return found[0]?.value ?? 0;
}

async function scrape(url: string, token = TOKEN): Promise<{ text: string; series: Scrape; type: string }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  const text = await response.text();
  return { text, series: parse(text), type: response.headers.get('content-type') ?? '' };
}

describe('metrics: the API and the worker export what happened, for Prometheus', () => {
  const stack = useTestStack({ config: { TALLY_METRICS_TOKEN: TOKEN } });
  const receiver = new WebhookReceiver();
  let worker: TallyProcess;
  let workerUrl: string;
  let apiUrl: string;
  let call: Call;

  beforeAll(async () => {
    await receiver.start();
    const port = await freePort();
    worker = await startWorkerProcess({
      DATABASE_URL: stack.config.DATABASE_URL,
      TEMPORAL_ADDRESS: stack.config.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
      HOST: '127.0.0.1',
      WORKER_METRICS_PORT: String(port),
      TALLY_METRICS_TOKEN: TOKEN,
      OUTBOX_SWEEP_INTERVAL_MS: '250',
    });
    workerUrl = `http://127.0.0.1:${port}/metrics`;
    apiUrl = `${stack.api.baseUrl}/metrics`;
    const merchant = await createMerchant(stack.api.baseUrl);
    call = caller(stack.api.baseUrl, merchant.key);
  });
  afterAll(async () => {
    await worker?.kill();
    await receiver.stop();
  });

  it('refuses a scrape without the metrics token, on the API and the worker, in the error envelope', async () => {
    const missing = await http(stack.api.baseUrl, 'GET', '/metrics');
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({ type: 'authentication_error', code: 'metrics_token_missing' });
    const wrong = await http(stack.api.baseUrl, 'GET', '/metrics', { key: 'not-the-token' });
    expect(wrong.body.error.code).toBe('metrics_token_invalid');
    expect((await fetch(workerUrl)).status).toBe(401);
    expect((await fetch(workerUrl, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(workerUrl.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('counts requests by route template and status, and events ingested, duplicated and rejected by code', async () => {
    const before = (await scrape(apiUrl)).series;
    const { customer } = await customerWithCard(call, 'tok_visa');
    await sumMetric(call, 'api_call', '1');
    expect((await call('GET', '/v1/customers/cus_nope')).status).toBe(404);
    expect((await call('GET', '/v1/customers/cus_nope_either')).status).toBe(404);
    expect((await call('GET', '/v1/nowhere/at/all')).status).toBe(404);
    const event = { customer, event_name: 'api_call', reference: 'metrics-1', value: '1' };
    expect((await call('POST', '/v1/billing/metering_events', event)).status).toBe(201);
    expect((await call('POST', '/v1/billing/metering_events', event)).status).toBe(200);
    const unknown = await call('POST', '/v1/billing/metering_events', {
      ...event,
      event_name: 'nope',
      reference: 'r2',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_event_name');
    const batch = await call('POST', '/v1/billing/metering_events/batch', {
      events: [
        { ...event, reference: 'metrics-2' },
        { ...event, reference: 'metrics-3' },
        { ...event, event_name: 'nope', reference: 'metrics-4' },
      ],
    });
    expect(batch.body.data.map((item: { status: string }) => item.status)).toEqual([
      'created',
      'created',
      'rejected',
    ]);

    const { series: after, type, text } = await scrape(apiUrl);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    const moved = (name: string, labels: Record<string, string> = {}) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(moved('tally_events_ingested_total')).toBe(3);
    expect(moved('tally_events_duplicated_total')).toBe(1);
    expect(moved('tally_events_rejected_total', { code: 'unknown_event_name' })).toBe(2);
    // Sequential single events go alone; the batch's two rows go in one statement.
    expect(moved('tally_ingest_batch_size_count')).toBe(3);
    expect(moved('tally_ingest_batch_size_sum')).toBe(4);
    const route = (path: string, status: string) => ({ method: 'GET', route: path, status });
    expect(moved('tally_http_requests_total', route('/v1/customers/:id', '404'))).toBe(2);
    expect(moved('tally_http_requests_total', route('unmatched', '404'))).toBe(1);
    expect(moved('tally_http_request_duration_seconds_count', route('/v1/customers/:id', '404'))).toBe(2);
    expect(
      moved('tally_http_requests_total', {
        method: 'POST',
        route: '/v1/billing/metering_events',
        status: '400',
      }),
    ).toBe(1);
    // No raw URL ever becomes a label.
    expect(text).not.toContain('cus_nope');
    expect(valueOf(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('answers the same metrics as JSON when asked, in the documented shape', async () => {
    const response = await http(stack.api.baseUrl, 'GET', '/metrics', {
      key: TOKEN,
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(response.body.object).toBe('metrics');
    const family = response.body.data.find((f: { name: string }) => f.name === 'tally_events_ingested_total');
    expect(family).toMatchObject({
      type: 'counter',
      samples: [{ name: 'tally_events_ingested_total', labels: {} }],
    });
  });

  it("exports the worker's charges, webhook deliveries and invoices by status, and the Temporal SDK's worker metrics", async () => {
    const path = '/metrics-hooks';
    await call('POST', '/v1/webhook_endpoints', { url: receiver.script(path, [200]), enabled_events: ['*'] });
    const before = (await scrape(workerUrl)).series;
    const { customer } = await customerWithCard(call, 'tok_visa');
    const invoice = await manualDraft(call, customer, '12.00', 'auto_charge');
    expect((await call('POST', `/v1/invoices/${invoice}/issue`)).status).toBe(200);
    await eventually(async () => (await call('GET', `/v1/invoices/${invoice}`)).body.status === 'paid', {
      what: 'the invoice to be paid',
      timeoutMs: 30_000,
    });
    const after = await eventually(
      async () => {
        const { series } = await scrape(workerUrl);
        return valueOf(series, 'tally_webhook_deliveries_total', { outcome: 'succeeded' }) >= 2 && series;
      },
      { what: 'the webhooks to be delivered', timeoutMs: 30_000 },
    );
    const moved = (name: string, labels: Record<string, string> = {}) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(moved('tally_charge_attempts_total', { outcome: 'succeeded' })).toBe(1);
    expect(moved('tally_charge_attempts_total', { outcome: 'declined' })).toBe(0);
    expect(valueOf(after, 'tally_invoices', { status: 'paid' })).toBe(1);
    expect(valueOf(after, 'tally_invoices', { status: 'draft' })).toBe(0);
    expect(after.has('tally_rollup_backlog_events')).toBe(true);
    expect(after.has('tally_rollup_lag_seconds')).toBe(true);
    expect(after.has('tally_rollup_events_folded_total')).toBe(true);
    expect(valueOf(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    for (const name of TEMPORAL_WORKER_METRICS) expect([name, after.has(name)]).toEqual([name, true]);
    // What happens in the API process is not the worker's to export.
    expect(after.has('tally_events_ingested_total')).toBe(false);
  });
});
