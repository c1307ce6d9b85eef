import * as asciichart from 'asciichart';

/**
 * A small line chart of `values` (asciichart), `height` rows high, its y labels `width`
 * characters wide. One value is drawn as two, so a single bucket still shows a line; none
 * answers a note instead of a chart.
 */
export function chart(values: number[], options: { height?: number; width?: number } = {}): string {
  if (values.length === 0) return '(no data)';
  const series = values.length === 1 ? [values[0]!, values[0]!] : values;
  const width = options.width ?? 10;
  const min = Math.min(...series);
  const max = Math.max(...series);
  return asciichart.plot(series, {
    height: options.height ?? (max === min ? 1 : 8),
    format: (x: number) => formatAxis(x).padStart(width),
  });
}

/** A y-axis label: whole numbers (and any from 100 up) as integers, others with up to two decimals. */
export function formatAxis(x: number): string {
  if (Number.isInteger(x) || Math.abs(x) >= 100) return String(Math.round(x));
  return x.toFixed(2).replace(/\.?0+$/, '');
}

/**
 * Lays `values` out to at most `columns` points (a wide window on a narrow terminal): each point
 * is the sum of the buckets it covers, so the chart still shows the window's usage.
 */
export function fit(values: number[], columns: number): number[] {
  if (values.length <= columns || columns <= 0) return values;
  const per = Math.ceil(values.length / columns);
  const out: number[] = [];
  for (let i = 0; i < values.length; i += per) out.push(values.slice(i, i + per).reduce((a, b) => a + b, 0));
  return out;
}
