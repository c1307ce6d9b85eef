import { createServer } from 'node:net';
import type { RuntimeOptions } from '@temporalio/worker';

/** A loopback port free right now, for the Temporal SDK's exporter (its own server cannot say which port 0 got). */
async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The Temporal SDK's worker metrics (task slots, poll and task latencies, sticky cache, …) from its
 * Rust core's Prometheus exporter, bound on loopback only: the worker's /metrics reads it at each
 * scrape and appends it, so one port serves both. Prometheus naming (`_total` counters, seconds).
 */
export async function temporalRuntimeMetrics(): Promise<{
  telemetryOptions: NonNullable<RuntimeOptions['telemetryOptions']>;
  url: string;
}> {
  const bindAddress = `127.0.0.1:${await freeLoopbackPort()}`;
  return {
    telemetryOptions: {
      metrics: {
        prometheus: {
          bindAddress,
          countersTotalSuffix: true,
          unitSuffix: true,
          useSecondsForDurations: true,
        },
      },
    },
    url: `http://${bindAddress}/metrics`,
  };
}
