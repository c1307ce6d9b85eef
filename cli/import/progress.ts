import { SingleBar } from 'cli-progress';
import type { ImportState } from './importer.js';

/** Shows an import's progress on stderr: never on stdout, which `--json` keeps for its answer. */
export interface Progress {
  update(state: Readonly<ImportState>, bytesRead: number): void;
  stop(): void;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The seconds left, from the share of the file's bytes read so far (unknown for a pipe). */
export function etaSeconds(elapsedMs: number, bytesRead: number, totalBytes: number | undefined): number {
  if (!totalBytes || bytesRead <= 0) return Number.NaN;
  const share = Math.min(1, bytesRead / totalBytes);
  return ((elapsedMs / 1000) * (1 - share)) / share;
}

/** One plain progress line (for a stderr that is not a terminal). */
export function progressLine(
  state: Readonly<ImportState>,
  elapsedMs: number,
  bytesRead: number,
  totalBytes: number | undefined,
): string {
  const rate = (state.sent / Math.max(1, elapsedMs)) * 1000;
  const eta = etaSeconds(elapsedMs, bytesRead, totalBytes);
  return (
    `imported ${formatCount(state.sent)} events (${formatCount(rate)} events/s), ` +
    `${formatCount(state.rejected)} rejected` +
    (Number.isNaN(eta) ? '' : `, ETA ${formatDuration(eta)}`)
  );
}

/** A cli-progress bar over the file's bytes (a pipe: no bar, the counts alone). */
class BarProgress implements Progress {
  private readonly bar: SingleBar;
  private readonly started = Date.now();

  constructor(
    private readonly totalBytes: number | undefined,
    stream: NodeJS.WriteStream,
  ) {
    const counts = '{events} events | {rate} events/s | ETA {remaining} | rejected {rejected}';
    this.bar = new SingleBar({
      stream,
      format: totalBytes ? `{bar} {percentage}% | ${counts}` : counts,
      hideCursor: true,
      fps: 5,
    });
    this.bar.start(
      totalBytes ?? 1,
      0,
      this.payload({ read: 0, sent: 0, created: 0, duplicates: 0, rejected: 0 }, 0),
    );
  }

  private payload(state: Readonly<ImportState>, bytesRead: number) {
    const elapsed = Date.now() - this.started;
    return {
      events: formatCount(state.sent),
      rate: formatCount((state.sent / Math.max(1, elapsed)) * 1000),
      remaining: formatDuration(etaSeconds(elapsed, bytesRead, this.totalBytes)),
      rejected: formatCount(state.rejected),
    };
  }

  update(state: Readonly<ImportState>, bytesRead: number): void {
    const value = this.totalBytes ? Math.min(bytesRead, this.totalBytes) : 0;
    this.bar.update(value, this.payload(state, bytesRead));
  }

  stop(): void {
    this.bar.stop();
  }
}

/** Plain lines every `intervalMs` (stderr redirected to a file or a CI log). */
class LineProgress implements Progress {
  private readonly started = Date.now();
  private last = Date.now();

  constructor(
    private readonly totalBytes: number | undefined,
    private readonly stream: NodeJS.WritableStream,
    private readonly intervalMs: number,
  ) {}

  update(state: Readonly<ImportState>, bytesRead: number): void {
    const now = Date.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    this.stream.write(`${progressLine(state, now - this.started, bytesRead, this.totalBytes)}\n`);
  }

  stop(): void {}
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/** The bar on a terminal, plain lines every 10 s otherwise, nothing when quiet. */
export function createProgress(options: { quiet: boolean; totalBytes: number | undefined }): Progress {
  if (options.quiet) return silent;
  if (process.stderr.isTTY) return new BarProgress(options.totalBytes, process.stderr);
  return new LineProgress(options.totalBytes, process.stderr, 10_000);
}
