/** One record of an import file: its line (from 1), its text as read, and the event or why it has none. */
export interface SourceRecord {
  /** The line the record starts on (from 1). */
  line: number;
  /** The record's original text (without its line ending). */
  text: string;
  /** The event to log; absent when the record was refused locally. */
  event?: Record<string, unknown>;
  /** Why the record cannot be sent (it is written to the rejected file, never sent). */
  problem?: { code: string; message: string };
}

/** A problem with the file as a whole (a CSV header that names an unknown column): nothing is imported. */
export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
}

/** The fields of a logged event (LogEventDoc), which a CSV header may name. */
export const EVENT_COLUMNS = [
  'customer',
  'account',
  'event_name',
  'reference',
  'value',
  'timestamp',
  'start_time',
  'end_time',
  'markup_percentage',
] as const;
