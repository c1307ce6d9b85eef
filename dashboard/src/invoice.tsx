import { useEffect, useState } from 'preact/hooks';
import type { Tally, components } from '../../sdk/src/index.js';
import { money, when } from './format.js';
import { linkTo } from './router.js';
import { messageOf, type DashboardConfig } from './session.js';
import { ScrollTable } from './scroll-table.js';

type Invoice = components['schemas']['InvoiceWithCharges'];
type Line = components['schemas']['InvoiceLineItem'];

/** The Temporal Web UI page of the invoice's workflow (`invoice/<id>`). */
export function workflowUrl(config: DashboardConfig, invoiceId: string): string {
  return `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${encodeURIComponent(`invoice/${invoiceId}`)}`;
}

/** One invoice: its lines (with tiers), charges and attempts, pay and void, and its workflow. */
export function InvoicePage({
  tally,
  id,
  config,
}: {
  tally: Tally;
  id: string;
  config: DashboardConfig | null;
}) {
  const [invoice, setInvoice] = useState<Invoice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmVoid, setConfirmVoid] = useState(false);

  useEffect(() => {
    tally.invoices.get(id).then(setInvoice, (failure: unknown) => setError(messageOf(failure)));
  }, [tally, id]);

  const act = async (what: 'pay' | 'void') => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const answer = what === 'pay' ? await tally.invoices.pay(id) : await tally.invoices.void(id);
      setInvoice(answer as Invoice);
      setNotice(
        what === 'pay' ? `Payment attempted: the invoice is ${answer.status}.` : 'The invoice is void.',
      );
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
      setConfirmVoid(false);
    }
  };

  if (!invoice)
    return (
      <section aria-labelledby="invoice-title">
        <h1 id="invoice-title">Invoice</h1>
        {error ? (
          <p role="alert" class="error">
            {error}
          </p>
        ) : (
          <p aria-live="polite">Loading…</p>
        )}
      </section>
    );

  const payable = invoice.status === 'open';
  const voidable = invoice.status === 'open' || invoice.status === 'draft';
  return (
    <section aria-labelledby="invoice-title">
      <p>
        <a {...linkTo('invoices')}>← All invoices</a>
      </p>
      <h1 id="invoice-title">
        Invoice {invoice.number ?? invoice.id}{' '}
        <span class={`status status-${invoice.status}`}>{invoice.status}</span>
      </h1>
      <dl class="totals">
        <Fact term="Total" value={money(invoice.total, invoice.currency)} />
        <Fact term="Paid" value={money(invoice.amount_paid, invoice.currency)} />
        <Fact term="Due" value={money(invoice.amount_due, invoice.currency)} />
        <Fact term="Payer" value={invoice.customer ?? invoice.account ?? '—'} />
        <Fact term="Collection" value={invoice.collection_method} />
        <Fact
          term="Period"
          value={invoice.period_start ? `${when(invoice.period_start)} – ${when(invoice.period_end)}` : '—'}
        />
        <Fact term="Attempts" value={String(invoice.attempt_count)} />
      </dl>
      <div class="actions">
        {payable && (
          <button type="button" disabled={busy} onClick={() => void act('pay')}>
            Pay now
          </button>
        )}
        {voidable && !confirmVoid && (
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirmVoid(true)}>
            Void…
          </button>
        )}
        {confirmVoid && (
          <>
            <button type="button" class="danger" disabled={busy} onClick={() => void act('void')}>
              Confirm void
            </button>
            <button type="button" class="quiet" onClick={() => setConfirmVoid(false)}>
              Keep it
            </button>
          </>
        )}
        {config?.temporalUiUrl && (
          <a href={workflowUrl(config, invoice.id)} target="_blank" rel="noopener noreferrer">
            Workflow in Temporal UI
          </a>
        )}
      </div>
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
      <h2>Lines</h2>
      <ScrollTable label="Invoice lines">
        <thead>
          <tr>
            <th scope="col">Description</th>
            <th scope="col">Quantity</th>
            <th scope="col">Unit</th>
            <th scope="col">Amount</th>
          </tr>
        </thead>
        <tbody>
          {invoice.lines.data.map((line) => (
            <LineRows line={line} currency={invoice.currency} />
          ))}
        </tbody>
      </ScrollTable>
      <h2>Charges</h2>
      <p class="invoice-next-retry">
        {invoice.next_payment_attempt
          ? `Next retry: ${when(invoice.next_payment_attempt)}`
          : 'No retry scheduled'}
      </p>
      {invoice.charges.length === 0 ? (
        <p>No charge yet.</p>
      ) : (
        <ScrollTable label="Charges">
          <thead>
            <tr>
              <th scope="col">Attempt</th>
              <th scope="col">Status</th>
              <th scope="col">Amount</th>
              <th scope="col">Failure</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {invoice.charges.map((charge) => (
              <tr>
                <th scope="row">{charge.attempt}</th>
                <td>{charge.status}</td>
                <td>{money(charge.amount, charge.currency)}</td>
                <td>{charge.failure_message ?? charge.failure_code ?? '—'}</td>
                <td>{when(charge.created)}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
    </section>
  );
}

function Fact({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function LineRows({ line, currency }: { line: Line; currency: string }) {
  return (
    <>
      <tr>
        <th scope="row">{line.description}</th>
        <td>{line.quantity}</td>
        <td>{money(line.unit_amount, currency)}</td>
        <td>{money(line.amount, currency)}</td>
      </tr>
      {(line.tiers ?? []).map((tier) => (
        <tr class="tier">
          <td>
            Tier {tier.from}–{tier.to ?? '∞'}
          </td>
          <td>{tier.quantity}</td>
          <td>
            {money(tier.unit_amount, currency)}
            {tier.flat_amount && tier.flat_amount !== '0' ? ` + ${money(tier.flat_amount, currency)}` : ''}
          </td>
          <td>{money(tier.amount, currency)}</td>
        </tr>
      ))}
    </>
  );
}
