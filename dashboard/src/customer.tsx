import type { Tally, components } from '../../sdk/src/index.js';
import { CustomerCredits } from './customer-credits.js';
import { CustomerUsage } from './customer-usage.js';
import { money, when } from './format.js';
import { linkTo } from './router.js';
import { useAnswer } from './use-answer.js';
import { InvoiceTable } from './invoice-table.js';
import { ScrollTable } from './scroll-table.js';

type Subscription = components['schemas']['Subscription'];
type Invoice = components['schemas']['Invoice'];

const LIST_PAGE = 20;

/** One customer: who it is, its usage this month, credits, subscriptions and invoices. */
export function CustomerPage({ tally, id }: { tally: Tally; id: string }) {
  const { value: customer, error } = useAnswer(() => tally.customers.get(id), [tally, id]);

  return (
    <section aria-labelledby="customer-title">
      <p>
        <a {...linkTo('customers')}>← All customers</a>
      </p>
      <h1 id="customer-title">{customer ? (customer.name ?? customer.id) : 'Customer'}</h1>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {!customer && !error && <p aria-live="polite">Loading…</p>}
      {customer && (
        <>
          <dl class="totals" aria-label="Customer">
            <Fact term="Name" value={customer.name ?? '—'} />
            <Fact term="Email" value={customer.email ?? '—'} />
            <Fact term="External id" value={customer.external_id ?? '—'} />
            <Fact term="Id" value={customer.id} />
            <Fact term="Created" value={when(customer.created)} />
          </dl>
          <CustomerUsage tally={tally} customer={customer.id} />
          <CustomerCredits tally={tally} customer={customer.id} />
          <Subscriptions tally={tally} customer={customer.id} />
          <Invoices tally={tally} customer={customer.id} />
        </>
      )}
    </section>
  );
}

function Subscriptions({ tally, customer }: { tally: Tally; customer: string }) {
  const { value: page, error } = useAnswer(
    () => tally.subscriptions.list({ customer, limit: LIST_PAGE }).page(),
    [tally, customer],
  );
  const subscriptions = (page?.data ?? []) as Subscription[];
  return (
    <section aria-labelledby="customer-subscriptions-title">
      <h2 id="customer-subscriptions-title">Subscriptions</h2>
      <Loading page={page} error={error} />
      {page && subscriptions.length === 0 && <p>No subscriptions.</p>}
      {subscriptions.length > 0 && (
        <ScrollTable label="Subscriptions table" caption="Subscriptions" class="customer-subscriptions">
          <thead>
            <tr>
              <th scope="col">Subscription</th>
              <th scope="col">Plan</th>
              <th scope="col">Status</th>
              <th scope="col">Current period</th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.map((subscription) => (
              <tr>
                <th scope="row">
                  <code>{subscription.id}</code>
                </th>
                <td>{planOf(subscription)}</td>
                <td>
                  <span class={`status status-${subscription.status}`}>{subscription.status}</span>
                  {subscription.cancel_at_period_end && subscription.status === 'active'
                    ? ' (ends at period end)'
                    : ''}
                </td>
                <td class="customer-period">
                  {subscription.current_period_start
                    ? `${when(subscription.current_period_start)} – ${when(subscription.current_period_end)}`
                    : '— (not started)'}
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      {page?.has_more && <p class="note">The latest {subscriptions.length} subscriptions.</p>}
    </section>
  );
}

/** "49.00 USD every month, 1 metric" (base fee, interval, items). */
function planOf(subscription: Subscription): string {
  const every =
    subscription.interval_count === 1
      ? subscription.interval
      : `${subscription.interval_count} ${subscription.interval}s`;
  const items = subscription.items.length;
  return `${money(subscription.base_amount, subscription.currency)} every ${every}, ${items} ${items === 1 ? 'metric' : 'metrics'}`;
}

function Invoices({ tally, customer }: { tally: Tally; customer: string }) {
  const { value: page, error } = useAnswer(
    () => tally.invoices.list({ customer, limit: LIST_PAGE }).page(),
    [tally, customer],
  );
  const invoices = (page?.data ?? []) as Invoice[];
  return (
    <section aria-labelledby="customer-invoices-title">
      <h2 id="customer-invoices-title">Invoices</h2>
      <Loading page={page} error={error} />
      {page && invoices.length === 0 && <p>No invoices.</p>}
      {invoices.length > 0 && <InvoiceTable invoices={invoices} class="customer-invoices" />}
      {page?.has_more && (
        <p class="note">
          The latest {invoices.length}; <a {...linkTo('invoices')}>all invoices</a>.
        </p>
      )}
    </section>
  );
}

function Loading({ page, error }: { page: unknown; error: string | null }) {
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  return page ? null : <p aria-live="polite">Loading…</p>;
}

function Fact({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
