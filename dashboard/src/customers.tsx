import type { Tally } from '../../sdk/src/index.js';

/** Placeholder: being built. */
export function CustomersPage(_props: { tally: Tally; id: string }) {
  return <h1>Customers</h1>;
}
