import { useEffect, useState } from 'preact/hooks';
import type { Tally, components } from '../../sdk/src/index.js';
import { when } from './format.js';
import { pipelineHealth, seconds, type PipelineHealth } from './pipeline-health-data.js';
import { dataOf } from './use-answer.js';
import { messageOf } from './session.js';
import { ScrollTable } from './scroll-table.js';

type Event = components['schemas']['BillingMetricEvent'];
const STATUSES = ['logged', 'aggregated', 'invoiced', 'paid'] as const;
type Status = (typeof STATUSES)[number];

const PAGE_SIZE = 50;

interface Query {
  status: Status | '';
  reference: string;
  /** The last id of each page before this one (empty on the first page). */
  cursors: string[];
}

/** The latest events, newest first, 50 a page, by status or one reference, with the rollup's lag above. */
export function EventsPage({ tally }: { tally: Tally }) {
  const [query, setQuery] = useState<Query>({ status: '', reference: '', cursors: [] });
  const [draft, setDraft] = useState({ status: '' as Status | '', reference: '' });
  const [page, setPage] = useState<{ data: Event[]; has_more: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [health, setHealth] = useState<PipelineHealth | null>(null);

  useEffect(() => {
    pipelineHealth(tally).then(setHealth, () => setHealth(null));
  }, [tally, query]);

  useEffect(() => {
    let current = true;
    setPage(null);
    setError(null);
    const startingAfter = query.cursors.at(-1);
    // The raw client: the SDK's list helper pages from the start (its cursor is its own).
    dataOf(
      tally.client.GET('/v1/billing/metering_events', {
        params: {
          query: {
            limit: PAGE_SIZE,
            ...(query.status ? { status: query.status } : {}),
            ...(query.reference ? { reference: query.reference } : {}),
            ...(startingAfter ? { starting_after: startingAfter } : {}),
          },
        },
      }),
    ).then(
      (found) => current && setPage({ data: found.data as Event[], has_more: found.has_more }),
      (failure: unknown) => current && setError(messageOf(failure)),
    );
    return () => {
      current = false;
    };
  }, [tally, query]);

  const search = (event: SubmitEvent) => {
    event.preventDefault();
    setQuery({ status: draft.status, reference: draft.reference.trim(), cursors: [] });
  };
  const next = () => {
    const last = page?.data.at(-1);
    if (last) setQuery({ ...query, cursors: [...query.cursors, last.id] });
  };
  const previous = () => setQuery({ ...query, cursors: query.cursors.slice(0, -1) });

  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title">Events</h1>
      {health && (
        <dl class="totals events-rollup" aria-label="Rollup">
          <div>
            <dt>Waiting for the rollup</dt>
            <dd class="events-backlog">{health.rollup.backlog} events</dd>
          </div>
          <div>
            <dt>Rollup lag</dt>
            <dd class="events-lag">{seconds(health.rollup.lag_seconds)}</dd>
          </div>
        </dl>
      )}
      <form class="filters" onSubmit={search}>
        <label>
          Status
          <select
            name="status"
            value={draft.status}
            onChange={(event) => setDraft({ ...draft, status: event.currentTarget.value as Status | '' })}
          >
            <option value="">any</option>
            {STATUSES.map((value) => (
              <option value={value}>{value}</option>
            ))}
          </select>
        </label>
        <label>
          Reference
          <input
            name="reference"
            type="search"
            maxLength={255}
            value={draft.reference}
            onInput={(event) => setDraft({ ...draft, reference: event.currentTarget.value })}
            placeholder="exact reference"
          />
        </label>
        <button type="submit">Search</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {page === null && !error && <p aria-live="polite">Loading…</p>}
      {page?.data.length === 0 && <p>No events{describe(query)}.</p>}
      {page && page.data.length > 0 && <EventsTable events={page.data} />}
      {page && (query.cursors.length > 0 || page.has_more) && (
        <div class="actions">
          <button type="button" class="quiet" onClick={previous} disabled={query.cursors.length === 0}>
            Previous page
          </button>
          <button type="button" class="quiet" onClick={next} disabled={!page.has_more}>
            Next page
          </button>
        </div>
      )}
    </section>
  );
}

function describe(query: Query): string {
  const parts = [
    query.status && `with status ${query.status}`,
    query.reference && `with reference ${query.reference}`,
  ];
  const said = parts.filter(Boolean).join(' and ');
  return said ? ` ${said}` : '';
}

function EventsTable({ events }: { events: Event[] }) {
  return (
    // Focusable, so that a keyboard can scroll it sideways on a narrow screen.
    <ScrollTable label="Events, newest first" class="events-table">
      <thead>
        <tr>
          <th scope="col">Reference</th>
          <th scope="col">Lifecycle</th>
          <th scope="col">Payer</th>
          <th scope="col">Metric</th>
          <th scope="col">Value</th>
          <th scope="col">Timestamp</th>
          <th scope="col">Corrections</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr data-event={event.id}>
            <th scope="row" class="events-reference">
              {event.reference}
            </th>
            <td>
              <Lifecycle status={event.status} />
            </td>
            <td class="events-payer">{event.customer ?? event.account}</td>
            <td class="events-metric">{event.event_name}</td>
            <td class="events-value">{event.value ?? '—'}</td>
            <td class="events-timestamp">{when(event.timestamp)}</td>
            <td class="events-marks">{marks(event)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

function marks(event: Event): string {
  const said = [event.voided && 'voided', event.amended && 'amended'].filter(Boolean).join(', ');
  return said ? `${said} (version ${event.version})` : '—';
}

/** logged → aggregated → invoiced → paid: each step reached is checked, the current one named in words. */
function Lifecycle({ status }: { status: Status }) {
  const reached = STATUSES.indexOf(status);
  return (
    <ol class="events-lifecycle" aria-label={`Lifecycle: ${status}`} data-status={status}>
      {STATUSES.map((step, i) => (
        <li
          class={
            i < reached ? 'events-step-done' : i === reached ? 'events-step-current' : 'events-step-todo'
          }
          aria-current={i === reached ? 'step' : undefined}
        >
          <span aria-hidden="true">{i <= reached ? '✓' : '·'}</span> {step}
          <span class="visually-hidden">{i <= reached ? ' (reached)' : ' (not yet)'}</span>
        </li>
      ))}
    </ol>
  );
}
