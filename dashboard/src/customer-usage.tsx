import { useMemo } from 'preact/hooks';
import type { Tally, components } from '../../sdk/src/index.js';
import { Chart } from './chart.js';
import { when } from './format.js';
import { useAnswer } from './use-answer.js';
import { UsageTable } from './usage-table.js';

type Report = components['schemas']['MetricUsageReport'];

/** From the start of the current UTC month to now (at least a second, so the window is never empty). */
export function thisMonth(now = new Date()): { start: string; end: string } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Math.max(now.getTime(), start.getTime() + 1000));
  return { start: start.toISOString(), end: end.toISOString() };
}

/**
 * Every active metric's report for the customer this month, per day, in the order the metrics list
 * answers (reports name a metric by event_name, which only active metrics keep to themselves).
 */
async function monthReports(tally: Tally, customer: string): Promise<Report[]> {
  const metrics = await tally.metrics.list({ limit: 100, status: 'active' }).toArray(500);
  const window = thisMonth();
  return Promise.all(
    metrics.map((metric) =>
      tally.reports.event(metric.event_name, { customer_id: customer, ...window, window_size: 'day' }),
    ),
  );
}

/** One metric's quantity per UTC day: a bar per day of the month so far, on the metric's own scale. */
function MetricChart({ report }: { report: Report }) {
  const option = useMemo(() => {
    const periods = report.series ?? [];
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: {
        type: 'category',
        data: periods.map((period) => period.start),
        axisLabel: { formatter: (start: string) => String(Number(start.slice(8, 10))) },
      },
      yAxis: { type: 'value' },
      series: [
        {
          name: report.name,
          type: 'bar',
          data: periods.map((period) => [period.start, Number(period.quantity)]),
        },
      ],
    };
  }, [report]);
  return <Chart option={option} label={`${report.name}: quantity per day this month`} />;
}

/**
 * The customer's usage this month: a chart per metric that has usage (metrics count different
 * units, so each keeps its own scale), and every active metric's totals.
 */
export function CustomerUsage({ tally, customer }: { tally: Tally; customer: string }) {
  const { value: reports, error } = useAnswer(() => monthReports(tally, customer), [tally, customer]);
  const used = (reports ?? []).filter((report) => report.event_count > 0);

  return (
    <section aria-labelledby="customer-usage-title">
      <h2 id="customer-usage-title">Usage this month</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {!reports && !error && <p aria-live="polite">Loading…</p>}
      {reports && reports.length === 0 && <p>No billing metrics yet, so no usage to show.</p>}
      {reports && reports.length > 0 && (
        <>
          <p class="note">
            <time dateTime={reports[0]!.start}>{when(reports[0]!.start)}</time> to{' '}
            <time dateTime={reports[0]!.end}>{when(reports[0]!.end)}</time>, per UTC day.
          </p>
          {used.length === 0 ? (
            <p>No usage this month.</p>
          ) : (
            <div class="customer-usage-charts">
              {used.map((report) => (
                <figure data-metric={report.event_name}>
                  <figcaption>{report.name}</figcaption>
                  <MetricChart report={report} />
                </figure>
              ))}
            </div>
          )}
          <UsageTable
            label="Usage by metric table"
            caption="Usage this month by metric"
            nameHeader="Metric"
            rows={reports}
          />
        </>
      )}
    </section>
  );
}
