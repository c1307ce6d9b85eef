import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { SourceRecord } from './records.js';

/**
 * NDJSON records: one LogEventDoc JSON object per line. Blank lines are skipped (they still count
 * for line numbers); a line that is not JSON, or JSON but not an object, is `line_unparsable`.
 */
export async function* readNdjson(input: Readable): AsyncGenerator<SourceRecord> {
  let line = 0;
  for await (const raw of lines(input)) {
    line += 1;
    const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (text.trim() === '') continue;
    yield parseNdjsonLine(line, text);
  }
}

/**
 * The stream's lines (without `\n` or `\r\n`), read through the stream's own async iterator
 * chunk by chunk only as they are used, so a slow API holds the file back. A character split
 * across chunks is decoded whole.
 */
export async function* lines(input: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const strip = (text: string) => (text.endsWith('\r') ? text.slice(0, -1) : text);
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield strip(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') yield strip(rest);
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
