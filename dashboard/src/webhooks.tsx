import { useEffect, useState } from 'preact/hooks';
import type { Tally, components } from '../../sdk/src/index.js';
import { when } from './format.js';
import { linkTo } from './router.js';
import { messageOf } from './session.js';
import { answerOf, endpointName, statusBadge, useEndpoints, type Endpoint } from './webhook-data.js';
import { WebhookEventPage } from './webhook-event.js';
import { ScrollTable } from './scroll-table.js';

type EventWithDeliveries = components['schemas']['WebhookEventWithDeliveries'];
type EventType = components['schemas']['WebhookEvent']['type'];

/** Every event type, exhaustively (a type the API adds fails the dashboard's type check here). */
const TYPE_NAMES: Record<EventType, true> = {
  'billing.subscriber_overage': true,
  'billing.subscriber_usage': true,
  'billing.credits_usage': true,
  'billing.credits_expiration': true,
  'billing.threshold.approaching': true,
  'billing.invoice.generated': true,
  'billing.charge.succeeded': true,
  'billing.charge.failed': true,
  'billing.event.corrected': true,
};
const EVENT_TYPES = Object.keys(TYPE_NAMES) as EventType[];
const PAGE_SIZE = 10;

/** `webhooks`: endpoints and recent events; `webhooks/evt_…`: one event. */
export function WebhooksPage({ tally, id }: { tally: Tally; id: string }) {
  return id ? <WebhookEventPage tally={tally} id={id} /> : <WebhooksList tally={tally} />;
}

function WebhooksList({ tally }: { tally: Tally }) {
  const { endpoints, error: endpointsError } = useEndpoints(tally);
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Webhooks</h1>
      <h2>Endpoints</h2>
      {endpointsError && (
        <p role="alert" class="error">
          {endpointsError}
        </p>
      )}
      {endpoints === null && !endpointsError && <p aria-live="polite">Loading…</p>}
      {endpoints?.length === 0 && <p>No endpoints. Create one with POST /v1/webhook_endpoints.</p>}
      {endpoints && endpoints.length > 0 && <EndpointsTable endpoints={endpoints} />}
      <RecentEvents tally={tally} endpoints={endpoints} />
    </section>
  );
}

function EndpointsTable({ endpoints }: { endpoints: Endpoint[] }) {
  return (
    <ScrollTable label="Webhook endpoints" class="webhooks-endpoints">
      <thead>
        <tr>
          <th scope="col">URL</th>
          <th scope="col">Status</th>
          <th scope="col">Event types</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {endpoints.map((endpoint) => (
          <tr>
            <th scope="row">{endpoint.url}</th>
            <td>
              <span class={statusBadge(endpoint.status)}>{endpoint.status}</span>
              {endpoint.disabled_reason ? ` (${endpoint.disabled_reason})` : ''}
            </td>
            <td>{endpoint.enabled_events.join(', ')}</td>
            <td>{when(endpoint.created)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

interface EventsPage {
  events: EventWithDeliveries[];
  hasMore: boolean;
}

function RecentEvents({ tally, endpoints }: { tally: Tally; endpoints: Endpoint[] | null }) {
  const [type, setType] = useState<EventType | ''>('');
  // The ids each shown page started after: [] is the first page.
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<EventsPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const startingAfter = cursors.at(-1);

  useEffect(() => {
    let current = true;
    setPage(null);
    setError(null);
    (async () => {
      const listed = await answerOf(
        tally.client.GET('/v1/webhook_events', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(type ? { type } : {}),
              ...(startingAfter ? { starting_after: startingAfter } : {}),
            },
          },
        }),
      );
      // The list carries no deliveries; each event's own answer does.
      const events = await Promise.all(listed.data.map((event) => tally.webhooks.events.get(event.id)));
      if (current) setPage({ events: events as EventWithDeliveries[], hasMore: listed.has_more });
    })().catch((failure: unknown) => current && setError(messageOf(failure)));
    return () => {
      current = false;
    };
  }, [tally, type, startingAfter]);

  const last = page?.events.at(-1);
  return (
    <>
      <h2>Recent events</h2>
      <div class="filters">
        <label>
          Type
          <select
            name="type"
            value={type}
            onChange={(event) => {
              setType(event.currentTarget.value as EventType | '');
              setCursors([]);
            }}
          >
            <option value="">any</option>
            {EVENT_TYPES.map((value) => (
              <option value={value}>{value}</option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {page === null && !error && <p aria-live="polite">Loading…</p>}
      {page?.events.length === 0 && <p>No events{type ? ` of type ${type}` : ''}.</p>}
      {page && page.events.length > 0 && (
        <ScrollTable label="Recent webhook events" class="webhooks-events">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Type</th>
              <th scope="col">Created</th>
              <th scope="col">Deliveries</th>
            </tr>
          </thead>
          <tbody>
            {page.events.map((event) => (
              <tr>
                <th scope="row">
                  <a {...linkTo(`webhooks/${event.id}`)}>{event.id}</a>
                </th>
                <td>{event.type}</td>
                <td>{when(event.created)}</td>
                <td>
                  {event.deliveries.length === 0 ? (
                    'no endpoint'
                  ) : (
                    <ul class="webhooks-deliveries">
                      {event.deliveries.map((delivery) => (
                        <li>
                          {endpointName(endpoints, delivery.endpoint)}:{' '}
                          <span class={statusBadge(delivery.status)}>{delivery.status}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      <div class="actions">
        {cursors.length > 0 && (
          <button type="button" class="quiet" onClick={() => setCursors([])}>
            First page
          </button>
        )}
        {page?.hasMore && last && (
          <button type="button" onClick={() => setCursors([...cursors, last.id])}>
            Next page
          </button>
        )}
      </div>
    </>
  );
}
