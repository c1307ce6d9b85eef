import { createReadStream, statSync, type ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { TallyApiError, TallyConnectionError, type components } from '../../sdk/src/index.js';
import { CliError, connect, describeError, type GlobalOptions } from '../config.js';
import { printJson, printLine } from '../format.js';
import { readCsv } from '../import/csv.js';
import { runImport, type ErrorVerdict, type ImportSummary } from '../import/importer.js';
import { MAX_BATCH_EVENTS } from '../import/batcher.js';
import { readNdjson } from '../import/ndjson.js';
import { createProgress, formatCount } from '../import/progress.js';
import { ImportFormatError } from '../import/records.js';
import { RejectedFile } from '../import/rejected.js';

export const IMPORT_HELP = `
Input: NDJSON (one event object per line, the fields of POST /v1/billing/metering_events) or CSV
(a header row naming the event fields customer, account, event_name, reference, value, timestamp,
start_time, end_time, markup_percentage, plus metadata.<key> columns; empty cells are absent).
The format follows the file's extension (.csv, else NDJSON); "-" reads standard input.

References: an event without one gets "imp_" + the SHA-256 of its content (every field but
reference, keys sorted, null/empty left out, value and markup_percentage as strings). It does not
depend on the line number, so rerunning the same file (after Ctrl-C, a crash or a fix) sends
everything again and Tally stores nothing twice; but two identical rows without references are
one event: give distinct usage a reference, a timestamp or metadata that tells them apart.

Rejected lines (unparsable, or refused by the API) are written to <file>.rejected.ndjson (or
--rejected) as { "line", "code", "message", "input" }; the file is removed when nothing was rejected.

Exit codes: 0 every event stored or already stored (duplicate); 1 some lines rejected, or the
import stopped on an API failure (rerun to resume); 2 usage or configuration error; 130 Ctrl-C.`;

interface ImportOptions {
  format?: string;
  rejected?: string;
  concurrency: string;
  batchSize: string;
  quiet?: boolean;
}

function positiveInt(value: string, name: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new CliError(`${name} must be a whole number from 1 to ${max}`, 2);
  return n;
}

function formatOf(file: string, format: string | undefined): 'csv' | 'ndjson' {
  if (format !== undefined) {
    if (format !== 'csv' && format !== 'ndjson')
      throw new CliError(`--format must be csv or ndjson, not "${format}"`, 2);
    return format;
  }
  return /\.csv$/i.test(file) ? 'csv' : 'ndjson';
}

/** What a failed batch request means for the import (the SDK has already retried what it may). */
export function judgeBatchError(error: unknown): ErrorVerdict {
  if (error instanceof TallyApiError) {
    if (error.status === 401 || error.status === 403 || error.status === 429 || error.status >= 500)
      return { fatal: true, message: describeError(error).message };
    return { fatal: false, code: error.code, message: error.message };
  }
  if (error instanceof TallyConnectionError) return { fatal: true, message: describeError(error).message };
  return { fatal: true, message: error instanceof Error ? error.message : String(error) };
}

function summaryText(summary: ImportSummary, rejectedPath: string): string {
  const seconds = (summary.elapsedMs / 1000).toFixed(1);
  const lines = [
    `${summary.interrupted ? 'interrupted: ' : ''}read ${formatCount(summary.read)} lines, sent ${formatCount(summary.sent)} events in ${seconds} s (${formatCount(summary.eventsPerSecond)} events/s)`,
    `created ${formatCount(summary.created)}, duplicates ${formatCount(summary.duplicates)}, rejected ${formatCount(summary.rejected)}` +
      (summary.rejected > 0 ? ` (see ${rejectedPath})` : ''),
  ];
  if (summary.error) lines.push(`stopped: ${summary.error}`);
  if (summary.interrupted || summary.error)
    lines.push('run the same command again to resume: what was stored is answered as duplicate');
  return lines.join('\n');
}

export function registerImport(events: Command, globals: () => GlobalOptions): void {
  events
    .command('import')
    .description('backfill events from an NDJSON or CSV file (resumable: a rerun stores nothing twice)')
    .argument('<file>', 'file.ndjson, file.csv, or - for standard input')
    .option('--format <format>', 'csv or ndjson (default: from the file extension; stdin: ndjson)')
    .option('--rejected <path>', 'where to write rejected lines (default: <file>.rejected.ndjson)')
    .option('--concurrency <n>', 'batches in flight at once', '4')
    .option('--batch-size <n>', `events per batch (at most ${MAX_BATCH_EVENTS})`, String(MAX_BATCH_EVENTS))
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText('after', IMPORT_HELP)
    .action(async (file: string, options: ImportOptions) => {
      const global = globals();
      const format = formatOf(file, options.format);
      const concurrency = positiveInt(options.concurrency, '--concurrency', 64);
      const batchSize = positiveInt(options.batchSize, '--batch-size', MAX_BATCH_EVENTS);
      const { tally } = connect(global);
      let input: Readable;
      let totalBytes: number | undefined;
      if (file === '-') input = process.stdin;
      else {
        try {
          const stat = statSync(file);
          if (!stat.isFile()) throw new CliError(`${file} is not a file`, 2);
          totalBytes = stat.size;
        } catch (error) {
          if (error instanceof CliError) throw error;
          throw new CliError(`cannot read ${file}: ${(error as Error).message}`, 2);
        }
        input = createReadStream(file, { highWaterMark: 1 << 20 });
      }
      const rejectedPath = options.rejected ?? `${file === '-' ? 'stdin' : file}.rejected.ndjson`;
      let rejected: RejectedFile;
      try {
        rejected = new RejectedFile(rejectedPath);
      } catch (error) {
        throw new CliError(`cannot write ${rejectedPath}: ${(error as Error).message}`, 2);
      }
      const progress = createProgress({ quiet: options.quiet === true, totalBytes });
      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(130);
        controller.abort();
        progress.stop();
        process.stderr.write(
          '\ninterrupted: waiting for the batches in flight (Ctrl-C again to quit at once)\n',
        );
      };
      process.on('SIGINT', onSigint);
      const bytesRead = () => (input as Partial<ReadStream>).bytesRead ?? 0;
      let summary: ImportSummary;
      let authFailed = false;
      try {
        summary = await runImport({
          records: format === 'csv' ? readCsv(input) : readNdjson(input),
          send: (batch) =>
            tally.events.logBatch({ events: batch as unknown as components['schemas']['LogEventDoc'][] }),
          judge: (error) => {
            if (error instanceof TallyApiError && error.status === 401) authFailed = true;
            return judgeBatchError(error);
          },
          rejected,
          concurrency,
          maxEvents: batchSize,
          signal: controller.signal,
          onProgress: (state) => progress.update(state, bytesRead()),
        });
      } catch (error) {
        if (error instanceof ImportFormatError) throw new CliError(error.message, 2);
        throw error;
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
        await rejected.close();
        input.destroy();
      }
      if (global.json)
        printJson({
          object: 'import_summary',
          file,
          format,
          read: summary.read,
          sent: summary.sent,
          created: summary.created,
          duplicates: summary.duplicates,
          rejected: summary.rejected,
          rejected_file: summary.rejected > 0 ? rejectedPath : null,
          elapsed_s: Math.round(summary.elapsedMs) / 1000,
          events_per_s: summary.eventsPerSecond,
          interrupted: summary.interrupted,
          error: summary.error ?? null,
        });
      else printLine(summaryText(summary, rejectedPath));
      process.exitCode = summary.interrupted
        ? 130
        : authFailed
          ? 2
          : summary.error || summary.rejected > 0
            ? 1
            : 0;
    });
}
