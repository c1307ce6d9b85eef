/**
 * Credits draw per calendar month (UTC): the window a payer's usage is priced over before it is
 * drawn. Pricing a whole window at once keeps count_unique and averages right (they are not
 * additive across batches) and rounds once per metric, as an invoice does.
 */
export function creditWindowStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function creditWindowEnd(windowStart: Date): Date {
  return new Date(Date.UTC(windowStart.getUTCFullYear(), windowStart.getUTCMonth() + 1, 1));
}

/** The starts of every window that [from, to] touches (both inclusive), oldest first. */
export function creditWindowsBetween(from: Date, to: Date): Date[] {
  if (to < from) return [];
  const windows: Date[] = [];
  for (let start = creditWindowStart(from); start <= to; start = creditWindowEnd(start)) windows.push(start);
  return windows;
}
