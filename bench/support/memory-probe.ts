/**
 * Preloaded into a process the bench starts (`node --expose-gc --import …/memory-probe.js`): on
 * SIGWINCH it runs a full garbage collection and appends one JSON line to BENCH_MEMORY_PROBE_FILE
 * with `process.memoryUsage()` before and after it, so the bench can tell memory the program
 * still holds (heapUsed after GC) from memory V8 and the allocator keep around (RSS). With
 * BENCH_HEAP_SNAPSHOT_DIR set it also writes a heap snapshot there, for comparing two moments.
 * Not SIGUSR2 (nor `--heapsnapshot-signal=SIGUSR2`): Nest's `enableShutdownHooks()` closes the
 * app on SIGUSR2, so the API would quietly finish (exit 0) after its first probe.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

const file = process.env.BENCH_MEMORY_PROBE_FILE;
const snapshots = process.env.BENCH_HEAP_SNAPSHOT_DIR;
const gc = (globalThis as { gc?: () => void }).gc;

if (file) {
  let taken = 0;
  process.on('SIGWINCH', () => {
    const before = process.memoryUsage();
    const at = Date.now();
    gc?.();
    const after = process.memoryUsage();
    const gcMs = Date.now() - at;
    taken += 1;
    const snapshot = snapshots ? writeHeapSnapshot(join(snapshots, `api-${taken}.heapsnapshot`)) : null;
    appendFileSync(file, `${JSON.stringify({ at, gcMs, before, after, snapshot })}\n`);
  });
}
