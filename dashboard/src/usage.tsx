import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Tally, components } from '../../sdk/src/index.js';
import { Chart } from './chart.js';
import { day, money, when } from './format.js';
import { UsageTable } from './usage-table.js';
import { messageOf } from './session.js';

type Report = components['schemas']['MetricUsageReport'];
type Metric = components['schemas']['BillingMetric'];
type Customer = components['schemas']['Customer'];

/** The payer choice that asks for every payer's report added up (`payers=all`). */
const ALL_PAYERS = 'all';

interface Query {
  metric: string;
  /** A customer's id, or ALL_PAYERS. */
  customer: string;
  from: string;
  to: string;
  windowSize: 'hour' | 'day';
  groupBy: string;
}

const monthStart = () => {
  const now = new Date();
  return day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
};

/** The report's window: `from` and `to` are whole UTC days, both included. */
function windowOf(query: Query): { start: string; end: string } {
  const end = new Date(`${query.to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return { start: `${query.from}T00:00:00Z`, end: end.toISOString().replace('.000Z', 'Z') };
}

/** The usage explorer: one metric's report for one customer (or all), as a chart, a breakdown and totals. */
export function UsagePage({ tally }: { tally: Tally }) {
  const [metrics, setMetrics] = useState<Metric[]>([]);
  const [customers, setCustomers] = useState<Customer[]>([]);
  const [query, setQuery] = useState<Query>({
    metric: '',
    customer: '',
    from: monthStart(),
    to: day(new Date()),
    windowSize: 'day',
    groupBy: '',
  });
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    Promise.all([
      tally.metrics.list({ limit: 100 }).toArray(200),
      tally.customers.list({ limit: 100 }).toArray(500),
    ])
      .then(([foundMetrics, foundCustomers]) => {
        setMetrics(foundMetrics);
        setCustomers(foundCustomers);
        setQuery((current) => ({
          ...current,
          metric: current.metric || foundMetrics[0]?.event_name || '',
          customer: current.customer || foundCustomers[0]?.id || ALL_PAYERS,
        }));
      })
      .catch((failure: unknown) => setError(messageOf(failure)));
  }, [tally]);

  const set = (field: keyof Query) => (event: Event) =>
    setQuery({ ...query, [field]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value });

  const run = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setReport(
        await tally.reports.event(query.metric, {
          ...(query.customer === ALL_PAYERS ? { payers: ALL_PAYERS } : { customer_id: query.customer }),
          ...windowOf(query),
          window_size: query.windowSize,
          ...(query.groupBy.trim() ? { group_by: query.groupBy.trim() } : {}),
        }),
      );
    } catch (failure) {
      setReport(null);
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="usage-title">
      <h1 id="usage-title">Usage explorer</h1>
      <form class="filters" onSubmit={(event) => void run(event)}>
        <label>
          Metric
          <select name="metric" value={query.metric} onChange={set('metric')} required>
            {metrics.map((metric) => (
              <option value={metric.event_name}>{metric.name}</option>
            ))}
          </select>
        </label>
        <label>
          Customer
          <select name="customer" value={query.customer} onChange={set('customer')} required>
            <option value={ALL_PAYERS}>All customers and accounts</option>
            {customers.map((customer) => (
              <option value={customer.id}>{customer.name ?? customer.id}</option>
            ))}
          </select>
        </label>
        <label>
          From (UTC)
          <input name="from" type="date" value={query.from} onInput={set('from')} required />
        </label>
        <label>
          To (UTC, included)
          <input name="to" type="date" value={query.to} onInput={set('to')} required />
        </label>
        <label>
          Per
          <select name="window_size" value={query.windowSize} onChange={set('windowSize')}>
            <option value="hour">hour</option>
            <option value="day">day</option>
          </select>
        </label>
        <label>
          Break down by metadata key
          <input name="group_by" value={query.groupBy} onInput={set('groupBy')} placeholder="e.g. region" />
        </label>
        <button type="submit" disabled={busy || !query.metric || !query.customer}>
          {busy ? 'Loading…' : 'Show usage'}
        </button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {report && <UsageReport report={report} />}
    </section>
  );
}

function UsageReport({ report }: { report: Report }) {
  const series = report.series ?? [];
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['Quantity', 'Amount', 'Events'], top: 4 },
      grid: { left: 48, right: 112, top: 64, bottom: 32, containLabel: true },
      xAxis: { type: 'time' },
      yAxis: [
        { type: 'value', name: 'Quantity' },
        { type: 'value', name: report.currency.toUpperCase(), splitLine: { show: false } },
        { type: 'value', name: 'Events', offset: 56, splitLine: { show: false } },
      ],
      series: [
        { name: 'Quantity', type: 'bar', data: series.map((point) => [point.start, Number(point.quantity)]) },
        {
          name: 'Amount',
          type: 'line',
          yAxisIndex: 1,
          data: series.map((point) => [point.start, Number(point.amount)]),
        },
        {
          name: 'Events',
          type: 'line',
          yAxisIndex: 2,
          lineStyle: { type: 'dashed' },
          data: series.map((point) => [point.start, point.event_count]),
        },
      ],
    }),
    [report],
  );
  return (
    <>
      <h2>Totals</h2>
      <dl class="totals" aria-label="Totals">
        <div>
          <dt>Quantity</dt>
          <dd>{report.quantity}</dd>
        </div>
        <div>
          <dt>Amount</dt>
          <dd>{money(report.amount, report.currency)}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{report.event_count}</dd>
        </div>
        {report.payer_count !== undefined && (
          <div>
            <dt>Payers with usage</dt>
            <dd>{report.payer_count}</dd>
          </div>
        )}
        <div>
          <dt>Window</dt>
          <dd>
            {when(report.start)} – {when(report.end)}
          </dd>
        </div>
      </dl>
      <h2>Per {report.window_size}</h2>
      <p class="note">
        A period's amount is what it added to the window's: tiers price the usage before it first, so the
        periods' amounts add up to the total.
        {report.payers === 'all' &&
          ' For all customers and accounts, each is priced on its own usage, as it is billed, and the results are added up.'}
      </p>
      <Chart
        option={option}
        label={`${report.name}: quantity, amount and events per ${report.window_size ?? 'period'}`}
      />
      {report.groups && (
        <>
          <h2>By {report.group_by}</h2>
          <UsageTable
            label={`Usage by ${report.group_by}`}
            nameHeader={report.group_by ?? ''}
            rows={report.groups.map((group) => ({
              ...group,
              name: group.value ?? '(none)',
              currency: report.currency,
            }))}
          />
        </>
      )}
    </>
  );
}
