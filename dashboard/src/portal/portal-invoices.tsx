import { useState } from 'preact/hooks';
import type { components, Tally } from '../../../sdk/src/index.js';
import { money, when } from '../format.js';
import { messageOf } from '../session.js';
import { Pending, type Refused, usePortalRead } from './portal-read.js';
import { answerOf, linkRefused } from './token.js';
import { ScrollTable } from '../scroll-table.js';

type Invoice = components['schemas']['Invoice'];
type OpenedInvoice = components['schemas']['InvoiceWithCharges'];

interface Line {
  description: string;
  quantity: string | null;
  unit_amount: string | null;
  amount: string;
}

interface SectionProps {
  tally: Tally;
  onRefused: (why: Refused) => void;
}

/** What the next invoice would be if it were issued now; nothing when there is no preview. */
export function PortalUpcomingSection({ tally, onRefused }: SectionProps) {
  const upcoming = usePortalRead(
    tally,
    (client) => answerOf(client.client.GET('/v1/portal/upcoming_invoice')),
    onRefused,
  );
  return (
    <section aria-labelledby="portal-upcoming-title" class="portal-upcoming">
      <h2 id="portal-upcoming-title">Upcoming invoice</h2>
      {upcoming.missing ? (
        <p>There is no upcoming invoice to show right now.</p>
      ) : !upcoming.data ? (
        <Pending read={upcoming} what="the upcoming invoice" />
      ) : upcoming.data.lines.data.length === 0 ? (
        <p>Nothing to bill so far this period.</p>
      ) : (
        <>
          <p class="note">
            As of now, for {when(upcoming.data.period_start)} – {when(upcoming.data.period_end)}; it can still
            change.
          </p>
          <LinesTable
            caption="Upcoming invoice lines"
            lines={upcoming.data.lines.data}
            currency={upcoming.data.currency}
            total={upcoming.data.total}
          />
          {upcoming.data.next_base_fee && (
            <p>
              Next base fee: {money(upcoming.data.next_base_fee.amount, upcoming.data.currency)} for{' '}
              {when(upcoming.data.next_base_fee.period_start)} –{' '}
              {when(upcoming.data.next_base_fee.period_end)}.
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** Past invoices (drafts are never shown), newest first; one opens to its lines. */
export function PortalInvoicesSection({ tally, onRefused }: SectionProps) {
  const invoices = usePortalRead(
    tally,
    (client) => answerOf(client.client.GET('/v1/portal/invoices', { params: { query: { limit: 100 } } })),
    onRefused,
  );
  const [opened, setOpened] = useState<OpenedInvoice | null>(null);
  const [error, setError] = useState<string | null>(null);

  const open = async (id: string) => {
    setError(null);
    try {
      setOpened(await answerOf(tally.client.GET('/v1/portal/invoices/{id}', { params: { path: { id } } })));
    } catch (failure) {
      const refused = linkRefused(failure);
      if (refused) onRefused(refused);
      else setError(messageOf(failure));
    }
  };

  return (
    <section aria-labelledby="portal-invoices-title">
      <h2 id="portal-invoices-title">Invoices</h2>
      {!invoices.data ? (
        <Pending read={invoices} what="invoices" />
      ) : invoices.data.data.length === 0 ? (
        <p>No invoices yet.</p>
      ) : (
        <ScrollTable label="Past invoices" class="portal-invoices">
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Status</th>
              <th scope="col">Total</th>
              <th scope="col">Date</th>
            </tr>
          </thead>
          <tbody>
            {invoices.data.data.map((invoice) => (
              <InvoiceRow invoice={invoice} onOpen={() => void open(invoice.id)} />
            ))}
          </tbody>
        </ScrollTable>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {opened && <InvoiceDetail invoice={opened} onClose={() => setOpened(null)} />}
    </section>
  );
}

function InvoiceRow({ invoice, onOpen }: { invoice: Invoice; onOpen: () => void }) {
  return (
    <tr>
      <th scope="row">
        <button type="button" class="portal-link" onClick={onOpen}>
          {invoice.number ?? invoice.id}
        </button>
      </th>
      <td>
        <span class={`status status-${invoice.status}`}>{invoice.status}</span>
      </td>
      <td>{money(invoice.total, invoice.currency)}</td>
      <td>{when(invoice.issued_at ?? invoice.created)}</td>
    </tr>
  );
}

function InvoiceDetail({ invoice, onClose }: { invoice: OpenedInvoice; onClose: () => void }) {
  return (
    <section aria-labelledby="portal-invoice-title" class="portal-invoice">
      <h3 id="portal-invoice-title" tabIndex={-1} ref={(heading) => heading?.focus()}>
        Invoice {invoice.number ?? invoice.id}{' '}
        <span class={`status status-${invoice.status}`}>{invoice.status}</span>
      </h3>
      <p class="note">
        Due {money(invoice.amount_due, invoice.currency)}, paid {money(invoice.amount_paid, invoice.currency)}
        {invoice.period_start ? ` · ${when(invoice.period_start)} – ${when(invoice.period_end)}` : ''}
      </p>
      <LinesTable
        caption={`Lines of invoice ${invoice.number ?? invoice.id}`}
        lines={invoice.lines.data}
        currency={invoice.currency}
        total={invoice.total}
      />
      <button type="button" class="quiet" onClick={onClose}>
        Close invoice
      </button>
    </section>
  );
}

function LinesTable({
  caption,
  lines,
  currency,
  total,
}: {
  caption: string;
  lines: Line[];
  currency: string;
  total: string;
}) {
  return (
    <ScrollTable label={caption} caption={<>{caption}</>} class="portal-lines">
      <thead>
        <tr>
          <th scope="col">Description</th>
          <th scope="col">Quantity</th>
          <th scope="col">Unit</th>
          <th scope="col">Amount</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr>
            <th scope="row">{line.description}</th>
            <td>{line.quantity ?? '—'}</td>
            <td>{money(line.unit_amount, currency)}</td>
            <td>{money(line.amount, currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            Total
          </th>
          <td class="portal-total">{money(total, currency)}</td>
        </tr>
      </tfoot>
    </ScrollTable>
  );
}
