import type { Client } from '@temporalio/client';
import { DependencyUnavailableError } from '../common/errors/unavailable.js';

/**
 * How long Temporal's client keeps retrying a call it made on a request's behalf. Its default is
 * about 20 s of retries against a server that is down; a handoff's call stops well before.
 */
const BACKGROUND_CALL_DEADLINE_MS = 5000;

/**
 * Waits at most `waitMs` for work that goes on in the background past it (a follow-up workflow
 * start or signal whose state change is already committed, and which the outbox sweeper retries
 * should it fail). `work` must handle its own failures. Answers whether it finished in time.
 */
export async function waitAtMost(work: Promise<void>, waitMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), waitMs);
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Each client's calls still in flight. */
const inFlight = new WeakMap<Client, Set<Promise<unknown>>>();

/**
 * Runs a call on the Temporal client with a deadline, so that it stops by itself against a server
 * that is down. Tracked until it settles: `settleCalls` awaits it before the client closes.
 */
export function withBackgroundDeadline<T>(client: Client, call: () => Promise<T>): Promise<T> {
  let calls = inFlight.get(client);
  if (!calls) {
    calls = new Set();
    inFlight.set(client, calls);
  }
  const running = client.connection.withDeadline(Date.now() + BACKGROUND_CALL_DEADLINE_MS, call);
  const settled: Promise<unknown> = running.then(
    () => calls.delete(settled),
    () => calls.delete(settled),
  );
  calls.add(settled);
  return running;
}

/**
 * Before a client's connection closes: waits for its calls still in flight (at most their
 * deadline), so that none retries on a closed channel, which throws outside any caller. Not
 * cancelled: the client's retry timer outlives a cancel and would still retry.
 */
export async function settleCalls(client: Client): Promise<void> {
  await Promise.allSettled([...(inFlight.get(client) ?? [])]);
}

/**
 * A call a request cannot answer without (paying an invoice through its workflow): when Temporal
 * does not answer within `waitMs`, the request answers 503 `service_unavailable` at once, while
 * the call itself stops at its deadline in the background.
 */
export async function reachTemporal<T>(client: Client, waitMs: number, call: () => Promise<T>): Promise<T> {
  const attempt = withBackgroundDeadline(client, call);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DependencyUnavailableError(`Temporal did not answer within ${waitMs} ms.`)),
      waitMs,
    );
  });
  attempt.catch(() => undefined);
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
