import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, startTallyProcess, type TallyProcess } from '../support/tally-process.js';
import { ADMIN_TOKEN, createMerchant, createTestDatabase, eventually } from '../support/test-stack.js';
import { testEnv } from '../support/test-env.js';

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/** A tiny OTLP/HTTP receiver: takes the JSON the exporter posts to /v1/traces and keeps every span. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method === 'POST' && request.url === '/v1/traces')
          this.take(Buffer.concat(chunks).toString());
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private take(body: string): void {
    const payload = JSON.parse(body) as {
      resourceSpans: {
        resource: { attributes: { key: string; value: { stringValue?: string } }[] };
        scopeSpans: { spans: Omit<ReceivedSpan, 'service'>[] }[];
      }[];
    };
    for (const { resource, scopeSpans } of payload.resourceSpans) {
      const service = resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
      for (const { spans } of scopeSpans)
        for (const span of spans)
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
          });
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('tracing: one trace from the HTTP request through the Temporal client into the workflow and its activity', () => {
  const receiver = new OtlpReceiver();
  let database: { url: string; drop: () => Promise<void> };
  let api: TallyProcess;
  let worker: TallyProcess;
  let baseUrl: string;

  beforeAll(async () => {
    await receiver.start();
    database = await createTestDatabase();
    const port = await freePort();
    const env = {
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: testEnv('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `tally-tracing-${port}`,
      TALLY_ADMIN_TOKEN: ADMIN_TOKEN,
      HOST: '127.0.0.1',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      // The SDK's batch span processor, flushing every 100 ms instead of every 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    [api, worker] = await Promise.all([
      startTallyProcess('api', { ...env, PORT: String(port), API_DOCS_PAGE: 'false' }),
      startTallyProcess('worker', { ...env, WORKER_METRICS_PORT: '0' }),
    ]);
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await api?.kill();
    await worker?.kill();
    await database?.drop();
    await receiver.stop();
  });

  it('continues the caller’s trace across both processes, each span a child of the one before', async () => {
    const merchant = await createMerchant(baseUrl);
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${baseUrl}/admin/diagnostics/round_trip`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({ merchant_id: merchant.id }),
    });
    expect(response.status).toBe(200);

    const spans = await eventually(
      () => {
        const inTrace = receiver.spans.filter((span) => span.traceId === traceId);
        const names = ['POST /admin', 'StartWorkflow', 'RunWorkflow', 'StartActivity', 'RunActivity'];
        return names.every((name) => inTrace.some((span) => span.name.startsWith(name))) && inTrace;
      },
      { what: 'the spans of the request, the workflow and its activity', timeoutMs: 30_000 },
    );
    const named = (prefix: string) => spans.find((span) => span.name.startsWith(prefix));
    const request = named('POST /admin/diagnostics/round_trip');
    const start = named('StartWorkflow');
    const run = named('RunWorkflow');
    const activity = named('RunActivity');
    expect(request).toMatchObject({ service: 'tally-api', parentSpanId: '00f067aa0ba902b7' });
    expect(start).toMatchObject({ service: 'tally-api', parentSpanId: request!.spanId });
    expect(run).toMatchObject({ service: 'tally-worker', parentSpanId: start!.spanId });
    expect(activity).toMatchObject({ service: 'tally-worker' });
    // The activity runs under the workflow's span for scheduling it (StartActivity), itself under the run.
    const scheduled = spans.find((span) => span.spanId === activity!.parentSpanId);
    expect(scheduled?.name).toMatch(/^StartActivity/);
    expect(scheduled?.parentSpanId).toBe(run!.spanId);
  });
});
