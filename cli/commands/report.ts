import type { Command } from 'commander';
import type { Tally } from '../../sdk/src/index.js';
import { chart, fit } from '../chart.js';
import { CliError, connect, type GlobalOptions } from '../config.js';
import { printJson, printLine, table } from '../format.js';

interface ReportOptions {
  metric?: string;
  window: string;
  start?: string;
  end?: string;
}

interface SeriesPoint {
  start: string;
  quantity: string;
  event_count: number;
}

interface MetricReport {
  name: string;
  event_name: string;
  quantity: string;
  amount: string;
  currency: string;
  event_count: number;
  start: string;
  end: string;
  series?: SeriesPoint[];
}

/** `cus_…` reports a customer, `acct_…` an account. */
export function payerQuery(payer: string): { customer_id: string } | { account_id: string } {
  if (payer.startsWith('cus_')) return { customer_id: payer };
  if (payer.startsWith('acct_')) return { account_id: payer };
  throw new CliError(`"${payer}" is neither a customer (cus_…) nor an account (acct_…)`, 2);
}

/** A bucket's start as the window size shows it: the day, or the day and hour. */
export function bucketLabel(start: string, window: 'hour' | 'day'): string {
  return window === 'day' ? start.slice(0, 10) : `${start.slice(0, 13).replace('T', ' ')}:00`;
}

/** A metric's usage over the window: its totals, a table of buckets and a chart of their quantities. */
export function renderMetric(report: MetricReport, window: 'hour' | 'day', columns = 60): string {
  const series = report.series ?? [];
  const lines = [
    `${report.name} (${report.event_name}): quantity ${report.quantity}, amount ${report.amount} ${report.currency}, ${report.event_count} events`,
    `${report.start} → ${report.end}, by ${window}`,
    '',
    chart(
      fit(
        series.map((point) => Number(point.quantity)),
        columns,
      ),
    ),
  ];
  const used = series.filter((point) => point.event_count > 0);
  if (used.length > 0)
    lines.push(
      '',
      table(
        [window.toUpperCase(), 'QUANTITY', 'EVENTS'],
        used.map((point) => [bucketLabel(point.start, window), point.quantity, point.event_count]),
      ),
    );
  return lines.join('\n');
}

async function metricReport(
  tally: Tally,
  eventName: string,
  query: Record<string, string>,
  window: 'hour' | 'day',
): Promise<MetricReport> {
  return (await tally.reports.event(eventName, { ...query, window_size: window })) as unknown as MetricReport;
}

export function registerReport(program: Command, globals: () => GlobalOptions): void {
  program
    .command('report')
    .description("a customer's or account's usage: a table and a chart of quantity over the window")
    .argument('<payer>', 'a customer (cus_…) or account (acct_…) id')
    .option(
      '--metric <event_name>',
      'one metric (GET /v1/billing/report/event/:event_name); default: every metric',
    )
    .option('--window <size>', 'the chart buckets: hour or day', 'day')
    .option('--start <time>', 'window start, ISO 8601 (default: the start of the current UTC month)')
    .option('--end <time>', 'window end, ISO 8601 (default: now)')
    .addHelpText(
      'after',
      '\nWithout --metric: GET /v1/billing/report/customer (every metric, totals per currency), then a\n' +
        'chart per metric with usage. --json prints the API body of the report (customer or metric).',
    )
    .action(async (payer: string, options: ReportOptions) => {
      if (options.window !== 'hour' && options.window !== 'day')
        throw new CliError(`--window must be hour or day, not "${options.window}"`, 2);
      const window = options.window;
      const query: Record<string, string> = { ...payerQuery(payer) };
      if (options.start) query.start = options.start;
      if (options.end) query.end = options.end;
      const { tally } = connect(globals());
      const columns = Math.max(20, (process.stdout.columns ?? 80) - 14);
      if (options.metric) {
        const report = await metricReport(tally, options.metric, query, window);
        if (globals().json) printJson(report);
        else printLine(renderMetric(report, window, columns));
        return;
      }
      const report = (await tally.reports.customer(query)) as unknown as {
        start: string;
        end: string;
        metrics: MetricReport[];
        totals: { currency: string; amount: string }[];
      };
      if (globals().json) {
        printJson(report);
        return;
      }
      const lines = [`${payer}: ${report.start} → ${report.end}`, ''];
      if (report.metrics.length === 0) lines.push('no metrics');
      else
        lines.push(
          table(
            ['METRIC', 'EVENT NAME', 'QUANTITY', 'AMOUNT', 'CURRENCY', 'EVENTS'],
            report.metrics.map((m) => [
              m.name,
              m.event_name,
              m.quantity,
              m.amount,
              m.currency,
              m.event_count,
            ]),
          ),
          '',
          `total: ${report.totals.map((t) => `${t.amount} ${t.currency}`).join(', ') || '0'}`,
        );
      for (const metric of report.metrics.filter((m) => m.event_count > 0)) {
        const detail = await metricReport(tally, metric.event_name, query, window);
        lines.push('', renderMetric(detail, window, columns));
      }
      printLine(lines.join('\n'));
    });
}
