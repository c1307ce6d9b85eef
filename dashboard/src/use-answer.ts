import { useEffect, useState } from 'preact/hooks';
import { TallyApiError, type ErrorBody } from '../../sdk/src/index.js';
import { messageOf } from './session.js';

/** What one API read answered: `value` once it came, `error` (a message) if it failed. */
export interface Answer<T> {
  value: T | null;
  error: string | null;
}

/** Runs `load` whenever `deps` change, and keeps the latest answer (an older, slower one is dropped). */
export function useAnswer<T>(load: () => Promise<T>, deps: unknown[]): Answer<T> {
  const [answer, setAnswer] = useState<Answer<T>>({ value: null, error: null });
  useEffect(() => {
    let current = true;
    setAnswer({ value: null, error: null });
    load().then(
      (value) => current && setAnswer({ value, error: null }),
      (failure: unknown) => current && setAnswer({ value: null, error: messageOf(failure) }),
    );
    return () => {
      current = false;
    };
  }, deps);
  return answer;
}

/** The data of a raw `tally.client` call, or the TallyApiError its refusal is (as the SDK's helpers throw). */
export async function dataOf<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error as { error?: ErrorBody } | undefined)?.error;
  throw new TallyApiError(
    response.status,
    body ?? { type: 'api_error', code: 'unknown', message: `The API answered ${response.status}.` },
    response.headers.get('request-id') ?? undefined,
  );
}
