import { collectDefaultMetrics, type Registry } from 'prom-client';

const collecting = new WeakSet<Registry>();

/** The process metrics (CPU, memory, event loop lag, GC) on `registry`, once however often asked. */
export function collectProcessMetrics(registry: Registry): void {
  if (collecting.has(registry)) return;
  collecting.add(registry);
  collectDefaultMetrics({ register: registry });
}
