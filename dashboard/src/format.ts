/** Display helpers: amounts stay exact decimal text from the API; dates show in UTC. */
export function money(amount: string | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  return `${amount} ${(currency ?? '').toUpperCase()}`.trim();
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** `YYYY-MM-DD` of a Date, in UTC. */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
