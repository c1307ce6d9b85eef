import type { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { EVENT_COLUMNS, ImportFormatError, type SourceRecord } from './records.js';

const KNOWN = new Set<string>(EVENT_COLUMNS);
const METADATA = 'metadata.';

/** A column of the header: an event field, or a metadata key. */
type Column = { field: string } | { metadata: string };

/** The header's columns; an unknown, empty or repeated name stops the import (ImportFormatError). */
export function csvColumns(header: string[]): Column[] {
  const seen = new Set<string>();
  return header.map((raw, index) => {
    const name = raw.trim();
    if (name === '') throw new ImportFormatError(`CSV header: column ${index + 1} has no name`);
    if (seen.has(name)) throw new ImportFormatError(`CSV header: column "${name}" appears twice`);
    seen.add(name);
    if (KNOWN.has(name)) return { field: name };
    if (name.startsWith(METADATA) && name.length > METADATA.length)
      return { metadata: name.slice(METADATA.length) };
    throw new ImportFormatError(
      `CSV header: unknown column "${name}" (known: ${EVENT_COLUMNS.join(', ')}, metadata.<key>)`,
    );
  });
}

/** A CSV row as an event: empty cells are absent, `metadata.<key>` cells make `metadata`. */
export function csvEvent(columns: Column[], cells: string[]): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  let metadata: Record<string, string> | undefined;
  columns.forEach((column, index) => {
    const cell = cells[index];
    if (cell === undefined || cell === '') return;
    if ('field' in column) event[column.field] = cell;
    else (metadata ??= {})[column.metadata] = cell;
  });
  if (metadata) event.metadata = metadata;
  return event;
}

/** The record's text: without the blank lines before it and its own line ending. */
function recordText(raw: string): string {
  return raw
    .replace(/^(?:\r?\n)+/, '')
    .replace(/\r?\n?$/, '')
    .replace(/\r$/, '');
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}

/**
 * CSV records (csv-parse, streaming): a header row naming event fields and `metadata.<key>`
 * columns, then one event per row. A row with another number of cells than the header, or one
 * csv-parse cannot read, is `line_unparsable`. Quotes inside unquoted fields are kept as text.
 */
export async function* readCsv(input: Readable): AsyncGenerator<SourceRecord> {
  const skipped: SourceRecord[] = [];
  const parser = input.pipe(
    parse({
      raw: true,
      info: true,
      bom: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      record_delimiter: ['\r\n', '\n'],
    }),
  );
  input.once('error', (error) => parser.destroy(error));
  parser.on('skip', (error: CsvError & { raw?: string; lines?: number }) => {
    const text = recordText(error.raw ?? '');
    skipped.push({
      line: Math.max(1, (error.lines ?? 1) - newlines(text)),
      text,
      problem: { code: 'line_unparsable', message: error.message },
    });
  });
  let columns: Column[] | undefined;
  for await (const item of parser as AsyncIterable<{
    record: string[];
    raw: string;
    info: { lines: number };
  }>) {
    while (skipped.length > 0) yield skipped.shift()!;
    const text = recordText(item.raw);
    const line = item.info.lines - newlines(text);
    if (!columns) {
      columns = csvColumns(item.record);
      continue;
    }
    if (item.record.length !== columns.length) {
      yield {
        line,
        text,
        problem: {
          code: 'line_unparsable',
          message: `the row has ${item.record.length} cells, the header ${columns.length}`,
        },
      };
      continue;
    }
    yield { line, text, event: csvEvent(columns, item.record) };
  }
  while (skipped.length > 0) yield skipped.shift()!;
}
