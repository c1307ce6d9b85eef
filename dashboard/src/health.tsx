import type { Tally } from '../../sdk/src/index.js';

/** Placeholder: being built. */
export function HealthPage(_props: { tally: Tally; id: string }) {
  return <h1>Pipeline health</h1>;
}
