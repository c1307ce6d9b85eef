import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Tally, components } from '../../sdk/src/index.js';
import { when } from './format.js';
import { linkTo } from './router.js';
import { messageOf } from './session.js';
import { answerOf, endpointName, statusBadge, useEndpoints, type Endpoint } from './webhook-data.js';
import { ScrollTable } from './scroll-table.js';

type EventWithDeliveries = components['schemas']['WebhookEventWithDeliveries'];
type Delivery = components['schemas']['WebhookDelivery'];
type Attempt = components['schemas']['WebhookDeliveryAttempt'];

/** How often, and how many times, the page asks again while a redelivery is under way. */
const POLL_MS = 500;
const POLL_TIMES = 60;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One event: its payload, each endpoint's delivery with every attempt, and redelivery. */
export function WebhookEventPage({ tally, id }: { tally: Tally; id: string }) {
  const { endpoints } = useEndpoints(tally);
  const [event, setEvent] = useState<EventWithDeliveries | null>(null);
  const [attempts, setAttempts] = useState<Attempt[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const shown = useRef(true);
  useEffect(
    () => () => {
      shown.current = false;
    },
    [],
  );

  const load = useCallback(async () => {
    const [read, listed] = await Promise.all([
      tally.webhooks.events.get(id),
      tally.webhooks.events.deliveries(id, { limit: 100 }).toArray(1000),
    ]);
    if (!shown.current) return null;
    setEvent(read as EventWithDeliveries);
    setAttempts(listed as Attempt[]);
    return { event: read as EventWithDeliveries, attempts: listed as Attempt[] };
  }, [tally, id]);

  useEffect(() => {
    load().catch((failure: unknown) => setError(messageOf(failure)));
  }, [load]);

  const redeliver = async (delivery: Delivery) => {
    const name = endpointName(endpoints, delivery.endpoint);
    const before = attempts.filter((attempt) => attempt.endpoint === delivery.endpoint).length;
    setBusy(true);
    setError(null);
    setNotice(`Redelivering to ${name}…`);
    try {
      await answerOf(
        tally.client.POST('/v1/webhook_events/{id}/redeliver', {
          params: { path: { id } },
          body: { endpoint: delivery.endpoint },
        }),
      );
      // The send happens on a worker: ask again until its attempt is recorded.
      for (let time = 0; time < POLL_TIMES && shown.current; time += 1) {
        const now = await load();
        const mine = now?.attempts.filter((attempt) => attempt.endpoint === delivery.endpoint) ?? [];
        if (mine.length > before) {
          const newest = mine.reduce((a, b) => (b.attempt > a.attempt ? b : a));
          setNotice(
            `Redelivered to ${name}: attempt ${newest.attempt} ${newest.succeeded ? 'succeeded' : 'failed'} (${outcome(newest)}).`,
          );
          return;
        }
        await sleep(POLL_MS);
      }
      setNotice(`Redelivery to ${name} requested; no attempt is recorded yet.`);
    } catch (failure) {
      setNotice(null);
      setError(messageOf(failure));
    } finally {
      if (shown.current) setBusy(false);
    }
  };

  if (!event)
    return (
      <section aria-labelledby="webhook-event-title">
        <h1 id="webhook-event-title">Webhook event</h1>
        {error ? (
          <p role="alert" class="error">
            {error}
          </p>
        ) : (
          <p aria-live="polite">Loading…</p>
        )}
      </section>
    );

  const { deliveries, ...payload } = event;
  return (
    <section aria-labelledby="webhook-event-title">
      <p>
        <a {...linkTo('webhooks')}>← All webhooks</a>
      </p>
      <h1 id="webhook-event-title" class="webhook-event-title">
        Event {event.id}
      </h1>
      <dl class="totals">
        <div>
          <dt>Type</dt>
          <dd>{event.type}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{when(event.created)}</dd>
        </div>
      </dl>
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <h2>Deliveries</h2>
      {deliveries.length === 0 && <p>No endpoint was subscribed to this event when it happened.</p>}
      {deliveries.map((delivery) => (
        <DeliveryPart
          delivery={delivery}
          endpoints={endpoints}
          attempts={attempts.filter((attempt) => attempt.endpoint === delivery.endpoint)}
          busy={busy}
          onRedeliver={() => void redeliver(delivery)}
        />
      ))}
      <h2 id="webhook-event-payload">Payload</h2>
      <pre class="webhook-event-payload" role="region" tabIndex={0} aria-labelledby="webhook-event-payload">
        {JSON.stringify(payload, null, 2)}
      </pre>
    </section>
  );
}

/** To the second (attempts come seconds apart), in UTC. */
export function attemptTime(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}

/** "HTTP 500", or the error when no answer came. */
function outcome(attempt: Attempt): string {
  if (attempt.status_code !== null)
    return attempt.error ? `HTTP ${attempt.status_code}: ${attempt.error}` : `HTTP ${attempt.status_code}`;
  return attempt.error ?? 'no answer';
}

function DeliveryPart({
  delivery,
  endpoints,
  attempts,
  busy,
  onRedeliver,
}: {
  delivery: Delivery;
  endpoints: Endpoint[] | null;
  attempts: Attempt[];
  busy: boolean;
  onRedeliver: () => void;
}) {
  const name = endpointName(endpoints, delivery.endpoint);
  const headingId = `delivery-${delivery.endpoint}`;
  const enabled = endpoints?.find((endpoint) => endpoint.id === delivery.endpoint)?.status === 'enabled';
  return (
    <section class="webhook-event-delivery" aria-labelledby={headingId}>
      <h3 id={headingId}>{name}</h3>
      <p>
        <span class={statusBadge(delivery.status)}>{delivery.status}</span>
        {` · ${delivery.attempt_count} attempt${delivery.attempt_count === 1 ? '' : 's'}`}
        {delivery.next_attempt_at ? ` · next retry ${when(delivery.next_attempt_at)}` : ''}
      </p>
      <div class="actions">
        <button
          type="button"
          disabled={busy || !enabled}
          aria-label={`Redeliver to ${name}`}
          onClick={onRedeliver}
        >
          Redeliver
        </button>
        {endpoints && !enabled && <span class="note">The endpoint is disabled or deleted.</span>}
      </div>
      {attempts.length > 0 && (
        <ScrollTable label={`Attempts to deliver to ${name}`} class="webhook-event-attempts">
          <thead>
            <tr>
              <th scope="col">Attempt</th>
              <th scope="col">Time</th>
              <th scope="col">Result</th>
              <th scope="col">Duration</th>
              <th scope="col">Answer</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((attempt) => (
              <tr>
                <th scope="row">{attempt.attempt}</th>
                <td>{attemptTime(attempt.attempted_at)}</td>
                <td>
                  <span class={statusBadge(attempt.succeeded ? 'succeeded' : 'failed')}>
                    {outcome(attempt)}
                  </span>
                </td>
                <td>{attempt.duration_ms} ms</td>
                <td class="webhook-event-answer">{attempt.response_body ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </section>
  );
}
