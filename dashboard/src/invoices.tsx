import { useEffect, useState } from 'preact/hooks';
import type { Tally, components } from '../../sdk/src/index.js';
import { money, when } from './format.js';
import { linkTo } from './router.js';
import { messageOf } from './session.js';

type Invoice = components['schemas']['Invoice'];
const STATUSES = ['draft', 'open', 'paid', 'void', 'uncollectible'] as const;
type Status = (typeof STATUSES)[number];

/** Invoices, newest first, a page of 100 at a time, optionally of one status. */
export function InvoicesPage({ tally }: { tally: Tally }) {
  const [status, setStatus] = useState<Status | ''>('');
  const [invoices, setInvoices] = useState<Invoice[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setInvoices(null);
    setError(null);
    tally.invoices
      .list({ limit: 100, ...(status ? { status } : {}) })
      .page()
      .then((page) => setInvoices(page.data as Invoice[]))
      .catch((failure: unknown) => setError(messageOf(failure)));
  }, [tally, status]);

  return (
    <section aria-labelledby="invoices-title">
      <h1 id="invoices-title">Invoices</h1>
      <div class="filters">
        <label>
          Status
          <select
            name="status"
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value as Status | '')}
          >
            <option value="">any</option>
            {STATUSES.map((value) => (
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
      {invoices === null && !error && <p aria-live="polite">Loading…</p>}
      {invoices?.length === 0 && <p>No invoices{status ? ` with status ${status}` : ''}.</p>}
      {invoices && invoices.length > 0 && (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Invoices</caption>
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">Status</th>
                <th scope="col">Payer</th>
                <th scope="col">Total</th>
                <th scope="col">Due</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {invoices.map((invoice) => (
                <tr>
                  <th scope="row">
                    <a {...linkTo(`invoices/${invoice.id}`)}>{invoice.number ?? invoice.id}</a>
                  </th>
                  <td>
                    <span class={`status status-${invoice.status}`}>{invoice.status}</span>
                  </td>
                  <td>{invoice.customer ?? invoice.account}</td>
                  <td>{money(invoice.total, invoice.currency)}</td>
                  <td>{money(invoice.amount_due, invoice.currency)}</td>
                  <td>{when(invoice.created)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
