import { useEffect, useState } from 'preact/hooks';
import type { Tally } from '../../../sdk/src/index.js';
import { messageOf } from '../session.js';
import { linkRefused, PortalRefusal } from './token.js';

export type Refused = 'expired' | 'invalid';

export interface Read<T> {
  data: T | null;
  /** 404: there is none (an upcoming invoice when no preview exists). */
  missing: boolean;
  error: string | null;
}

/**
 * One portal read, run once per client. A refused link (401) goes to `onRefused`, so the whole
 * page turns into the refusal; other failures stay in their own section.
 */
export function usePortalRead<T>(
  tally: Tally,
  read: (tally: Tally) => Promise<T>,
  onRefused: (why: Refused) => void,
): Read<T> {
  const [state, setState] = useState<Read<T>>({ data: null, missing: false, error: null });
  useEffect(() => {
    read(tally).then(
      (data) => setState({ data, missing: false, error: null }),
      (failure: unknown) => {
        const refused = linkRefused(failure);
        if (refused) onRefused(refused);
        else if (failure instanceof PortalRefusal && failure.status === 404)
          setState({ data: null, missing: true, error: null });
        else setState({ data: null, missing: false, error: messageOf(failure) });
      },
    );
    // read and onRefused are fixed for the page's life: the client alone decides a new read.
  }, [tally]);
  return state;
}

/** A section's loading and error states; the section itself once there is data. */
export function Pending({ read, what }: { read: Read<unknown>; what: string }) {
  if (read.error)
    return (
      <p role="alert" class="error">
        Could not load {what}: {read.error}
      </p>
    );
  return <p aria-live="polite">Loading {what}…</p>;
}
