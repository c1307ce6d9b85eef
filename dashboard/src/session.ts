import { Tally } from '../../sdk/src/index.js';

/** The secret key lives in this tab's sessionStorage only: never a URL, a cookie or a log. */
const KEY = 'tally.apiKey';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeKey(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY);
}

/** A client of this origin's API with the key. */
export function clientFor(apiKey: string): Tally {
  return new Tally({ apiKey, baseUrl: window.location.origin, maxRetries: 1 });
}

export interface DashboardConfig {
  temporalUiUrl: string;
  namespace: string;
}

/** `/dashboard/config.json`: where the Temporal UI is (public, no secrets). */
export async function loadConfig(): Promise<DashboardConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`);
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return (await response.json()) as DashboardConfig;
}

/** The message of whatever a call threw, for an alert. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
