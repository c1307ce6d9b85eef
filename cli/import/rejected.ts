import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** One line of the rejected file. */
export interface RejectedLine {
  line: number;
  code: string;
  message: string;
  /** The original line (record) text. */
  input: string;
}

export interface RejectedSink {
  write(entry: RejectedLine): Promise<void>;
  close(): Promise<void>;
  readonly count: number;
}

/** A rejected line as the file holds it: `{ "line", "code", "message", "input" }`. */
export function formatRejected(entry: RejectedLine): string {
  return `${JSON.stringify({ line: entry.line, code: entry.code, message: entry.message, input: entry.input })}\n`;
}

/**
 * The rejected file (NDJSON), written as rejections arrive (so a crash keeps those so far). It
 * is replaced at each run, and removed at the end of a run that rejected nothing, so an old
 * file never outlives the rerun that fixed it.
 */
export class RejectedFile implements RejectedSink {
  private stream: WriteStream;
  count = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'w' });
  }

  async write(entry: RejectedLine): Promise<void> {
    this.count += 1;
    if (!this.stream.write(formatRejected(entry))) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    if (this.count === 0) rmSync(this.path, { force: true });
  }
}

/** Rejections kept in memory (tests). */
export class MemoryRejected implements RejectedSink {
  readonly lines: RejectedLine[] = [];
  get count(): number {
    return this.lines.length;
  }
  async write(entry: RejectedLine): Promise<void> {
    this.lines.push(entry);
  }
  async close(): Promise<void> {}
}
