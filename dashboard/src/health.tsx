import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Tally } from '../../sdk/src/index.js';
import { Chart } from './chart.js';
import { when } from './format.js';
import { pipelineHealth, seconds, type PipelineHealth } from './pipeline-health-data.js';
import { messageOf } from './session.js';
import { ScrollTable } from './scroll-table.js';

const AUTO_REFRESH_MS = 15_000;

/** Pipeline health: ingestion per minute, the rollup's backlog and lag, workflows by status; refreshed every 15 s. */
export function HealthPage({ tally }: { tally: Tally }) {
  const [health, setHealth] = useState<PipelineHealth | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    setBusy(true);
    try {
      setHealth(await pipelineHealth(tally));
      setError(null);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }, [tally]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), AUTO_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  return (
    <section aria-labelledby="health-title">
      <h1 id="health-title">Pipeline health</h1>
      <div class="actions">
        <button type="button" onClick={() => void refresh()} disabled={busy}>
          {busy ? 'Refreshing…' : 'Refresh'}
        </button>
        <p role="status" class="note health-updated">
          {health ? `Updated ${when(health.generated_at)}; refreshes every 15 s.` : ''}
        </p>
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {!health && !error && <p aria-live="polite">Loading…</p>}
      {health && <HealthReport health={health} />}
    </section>
  );
}

function HealthReport({ health }: { health: PipelineHealth }) {
  const { ingestion, rollup, workflows } = health;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name: 'Events', minInterval: 1 },
      series: [
        {
          name: 'Events per minute',
          type: 'bar',
          data: ingestion.per_minute.map((minute) => [minute.start, minute.events]),
        },
      ],
    }),
    [health],
  );
  return (
    <>
      <dl class="totals" aria-label="Pipeline now">
        <div>
          <dt>Events, last minute</dt>
          <dd>{ingestion.events_last_minute}</dd>
        </div>
        <div>
          <dt>Events, last hour</dt>
          <dd>{ingestion.events_last_hour}</dd>
        </div>
        <div>
          <dt>Rollup backlog</dt>
          <dd>{rollup.backlog} events</dd>
        </div>
        <div>
          <dt>Rollup lag</dt>
          <dd>{seconds(rollup.lag_seconds)}</dd>
        </div>
        <div>
          <dt>Oldest waiting</dt>
          <dd>{when(rollup.oldest_waiting_received_at)}</dd>
        </div>
      </dl>
      <h2>Ingestion, events per minute</h2>
      <p class="note">
        The last {ingestion.window_minutes} whole minutes (UTC); the last bar is the current minute so far.
      </p>
      <Chart
        option={option}
        label={`Events logged per minute over the last ${ingestion.window_minutes} minutes`}
      />
      <h2>Workflows</h2>
      {!workflows.available && (
        <p role="alert" class="error">
          Temporal did not answer, so workflows cannot be counted now: {workflows.error}
        </p>
      )}
      {workflows.by_status && (
        <div class="health-workflows">
          <ScrollTable label="By status" captionShown class="health-by-status">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Workflows</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(workflows.by_status).map(([status, count]) => (
                <tr>
                  <th scope="row">{status.replace(/_/g, ' ')}</th>
                  <td>{count}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          <ScrollTable label="By type" captionShown class="health-by-type">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Workflows</th>
              </tr>
            </thead>
            <tbody>
              {(workflows.by_type ?? []).map((row) => (
                <tr>
                  <th scope="row">{row.type}</th>
                  <td>{row.status.replace(/_/g, ' ')}</td>
                  <td>{row.count}</td>
                </tr>
              ))}
              {workflows.by_type?.length === 0 && (
                <tr>
                  <td colSpan={3}>No workflows yet.</td>
                </tr>
              )}
            </tbody>
          </ScrollTable>
        </div>
      )}
    </>
  );
}
