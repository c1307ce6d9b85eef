import type { Tally } from '../../sdk/src/index.js';

/** Placeholder: being built. */
export function CustomerPage(_props: { tally: Tally; id: string }) {
  return <h1>One customer</h1>;
}
