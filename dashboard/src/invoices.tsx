import { useEffect, useState } from 'preact/hooks';
import type { Tally, components } from '../../sdk/src/index.js';
import { messageOf } from './session.js';
import { InvoiceTable } from './invoice-table.js';

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
      {invoices && invoices.length > 0 && <InvoiceTable invoices={invoices} showPayer />}
    </section>
  );
}
