import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectProcessMetrics } from './default-metrics.js';
import { metricsRefusal } from './metrics-access.js';
import { workerRegistry } from './meters.js';
import type { StateMetrics } from './state-metrics.js';

export interface WorkerMetricsOptions {
  host: string;
  /** 0: any free port (tests); the server answers the one it bound. */
  port: number;
  token?: string;
  /** The database gauges (invoices, rollup backlog and lag). */
  state?: StateMetrics;
  /** The Temporal SDK's own Prometheus exporter (bound on loopback), appended to each scrape. */
  temporalMetricsUrl?: string;
}

export interface WorkerMetricsServer {
  port: number;
  close: () => Promise<void>;
}

async function temporalMetrics(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return `# the Temporal SDK's metrics answered ${response.status}\n`;
    return await response.text();
  } catch (error) {
    return `# the Temporal SDK's metrics could not be read: ${error instanceof Error ? error.message : String(error)}\n`;
  }
}

/** One scrape: Tally's worker metrics, the database gauges, then the Temporal SDK's. */
export async function scrapeWorker(
  options: Pick<WorkerMetricsOptions, 'state' | 'temporalMetricsUrl'>,
): Promise<string> {
  const [own, state, temporal] = await Promise.all([
    workerRegistry.metrics(),
    options.state?.metrics().catch((error: unknown) => `# database gauges unavailable: ${String(error)}\n`) ??
      '',
    options.temporalMetricsUrl ? temporalMetrics(options.temporalMetricsUrl) : '',
  ]);
  return [own, state, temporal]
    .map((part) => (part === '' || part.endsWith('\n') ? part : `${part}\n`))
    .join('');
}

function answer(
  response: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain; charset=utf-8',
): void {
  response.writeHead(status, { 'content-type': type }).end(text);
}

/**
 * The worker's `/metrics` (Prometheus text) on its own port: the worker process has no HTTP
 * server otherwise. TALLY_METRICS_TOKEN protects it as it does the API's.
 */
export async function startWorkerMetricsServer(options: WorkerMetricsOptions): Promise<WorkerMetricsServer> {
  collectProcessMetrics(workerRegistry);
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') return answer(response, 404, 'not found: the worker serves /metrics only\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return answer(response, 405, 'method not allowed\n');
    }
    const refusal = metricsRefusal(options.token, request.headers.authorization);
    if (refusal)
      return answer(response, 401, `${refusal}: send Authorization: Bearer <TALLY_METRICS_TOKEN>\n`);
    answer(response, 200, await scrapeWorker(options), workerRegistry.contentType);
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => answer(response, 500, `${String(error)}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
