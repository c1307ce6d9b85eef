import type { components } from '../../sdk/src/index.js';
import { money, when } from './format.js';
import { linkTo } from './router.js';
import { ScrollTable } from './scroll-table.js';

type Invoice = components['schemas']['Invoice'];

/** Invoices as rows linking to their pages; the payer column only where they have several payers. */
export function InvoiceTable({
  invoices,
  label = 'Invoices table',
  showPayer = false,
  class: className,
}: {
  invoices: Invoice[];
  label?: string;
  showPayer?: boolean;
  class?: string;
}) {
  return (
    <ScrollTable label={label} caption="Invoices" class={className}>
      <thead>
        <tr>
          <th scope="col">Invoice</th>
          <th scope="col">Status</th>
          {showPayer && <th scope="col">Payer</th>}
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
            {showPayer && <td>{invoice.customer ?? invoice.account}</td>}
            <td>{money(invoice.total, invoice.currency)}</td>
            <td>{money(invoice.amount_due, invoice.currency)}</td>
            <td>{when(invoice.created)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}
