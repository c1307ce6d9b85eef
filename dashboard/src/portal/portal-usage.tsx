import { useMemo } from 'preact/hooks';
import type { components, Tally } from '../../../sdk/src/index.js';
import { Chart } from '../chart.js';
import { money, when } from '../format.js';
import { Pending, type Refused, usePortalRead } from './portal-read.js';
import { answerOf } from './token.js';

type Usage = components['schemas']['PortalUsage'];
type Metric = components['schemas']['PortalUsageMetric'];

/** Usage this period: a chart and the priced totals of each metric, then the amount per currency. */
export function PortalUsageSection({
  tally,
  onRefused,
}: {
  tally: Tally;
  onRefused: (why: Refused) => void;
}) {
  const usage = usePortalRead(tally, (client) => answerOf(client.client.GET('/v1/portal/usage')), onRefused);
  return (
    <section aria-labelledby="portal-usage-title">
      <h2 id="portal-usage-title">Usage this period</h2>
      {usage.data ? <UsageBody usage={usage.data} /> : <Pending read={usage} what="usage" />}
    </section>
  );
}

function UsageBody({ usage }: { usage: Usage }) {
  return (
    <>
      <p class="note">
        {usage.period === 'subscription_period' ? 'Your current subscription period' : 'This month so far'}:{' '}
        {when(usage.start)} – {when(usage.end)}.
      </p>
      {usage.metrics.length === 0 ? (
        <p>No usage yet this period.</p>
      ) : (
        usage.metrics.map((metric, index) => (
          <MetricUsage metric={metric} index={index} windowSize={usage.window_size} />
        ))
      )}
      {usage.totals.length > 0 && (
        <dl class="totals portal-usage-totals" aria-label="Usage totals">
          {usage.totals.map((total) => (
            <div>
              <dt>Total ({total.currency.toUpperCase()})</dt>
              <dd>{money(total.amount, total.currency)}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}

function MetricUsage({ metric, index, windowSize }: { metric: Metric; index: number; windowSize: string }) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 56, right: 16, top: 24, bottom: 32 },
      // A phone is narrow: ECharts drops the time labels that would overlap.
      xAxis: { type: 'time', axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', name: 'Quantity' },
      series: [
        {
          name: metric.name,
          type: 'bar',
          data: metric.series.map((point) => [point.start, Number(point.quantity)]),
        },
      ],
    }),
    [metric],
  );
  const titleId = `portal-metric-${index}`;
  return (
    <section class="portal-metric" data-metric={metric.event_name} aria-labelledby={titleId}>
      <h3 id={titleId}>{metric.name}</h3>
      <dl class="totals">
        <div>
          <dt>Quantity</dt>
          <dd>{metric.quantity}</dd>
        </div>
        <div>
          <dt>Amount</dt>
          <dd>{money(metric.amount, metric.currency)}</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>{metric.event_count}</dd>
        </div>
      </dl>
      <Chart option={option} label={`${metric.name}: quantity per ${windowSize} this period`} />
    </section>
  );
}
