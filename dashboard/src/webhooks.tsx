import type { Tally } from '../../sdk/src/index.js';

/** Placeholder: being built. */
export function WebhooksPage(_props: { tally: Tally; id: string }) {
  return <h1>Webhooks</h1>;
}
