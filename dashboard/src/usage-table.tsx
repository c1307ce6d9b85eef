import { money } from './format.js';
import { ScrollTable } from './scroll-table.js';

export interface UsageRow {
  name: string;
  quantity: string;
  amount: string;
  currency: string;
  event_count: number;
}

/** Rows of usage (a metric each, or a metadata value each): quantity, amount and events. */
export function UsageTable({
  label,
  caption,
  nameHeader,
  rows,
}: {
  label: string;
  caption?: string;
  nameHeader: string;
  rows: UsageRow[];
}) {
  return (
    <ScrollTable label={label} caption={caption}>
      <thead>
        <tr>
          <th scope="col">{nameHeader}</th>
          <th scope="col">Quantity</th>
          <th scope="col">Amount</th>
          <th scope="col">Events</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr>
            <th scope="row">{row.name}</th>
            <td>{row.quantity}</td>
            <td>{money(row.amount, row.currency)}</td>
            <td>{row.event_count}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}
