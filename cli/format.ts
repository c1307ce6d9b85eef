/** Terminal output: tables for people, JSON (`--json`) for scripts. Everything here writes stdout. */

export type Cell = string | number | boolean | null | undefined;

function text(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  return String(cell);
}

/** A plain text table: a header row, then one row per item, columns padded to their widest cell. */
export function table(headers: string[], rows: Cell[][]): string {
  const cells = rows.map((row) => row.map(text));
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

/** An object's fields, one `key  value` line each (nested values as JSON). */
export function fields(object: Record<string, unknown>): string {
  const width = Math.max(0, ...Object.keys(object).map((key) => key.length));
  return Object.entries(object)
    .map(([key, value]) => {
      const shown = value !== null && typeof value === 'object' ? JSON.stringify(value) : text(value as Cell);
      return `${key.padEnd(width)}  ${shown}`;
    })
    .join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line: string): void {
  process.stdout.write(`${line}\n`);
}
