import type { Tally } from '../../sdk/src/index.js';

/** Placeholder: being built. */
export function EventsPage(_props: { tally: Tally; id: string }) {
  return <h1>Events</h1>;
}
