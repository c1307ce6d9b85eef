import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { SourceRecord } from './records.js';

/**
 * NDJSON records: one LogEventDoc JSON object per line. Blank lines are skipped (they still count
 * for line numbers); a line that is not JSON, or JSON but not an object, is `line_unparsable`.
 */
export async function* readNdjson(input: Readable): AsyncGenerator<SourceRecord> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (text.trim() === '') continue;
    yield parseNdjsonLine(line, text);
  }
}

/** One NDJSON line as a record. */
export function parseNdjsonLine(line: number, text: string): SourceRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      line,
      text,
      problem: { code: 'line_unparsable', message: `not JSON: ${(error as Error).message}` },
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      line,
      text,
      problem: { code: 'line_unparsable', message: 'a line must hold one JSON object (an event)' },
    };
  return { line, text, event: value as Record<string, unknown> };
}
