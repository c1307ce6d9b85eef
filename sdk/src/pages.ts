/** One page of a list: `{ object: "list", data, has_more }`. */
export interface Page<T> {
  data: T[];
  has_more: boolean;
}

/**
 * A list over all its pages: `for await (const item of pages)` follows `starting_after` until the
 * last page, fetching each page only when the previous one is used up; `page()` is the first alone.
 */
export class Pages<T extends { id: string }> implements AsyncIterable<T> {
  constructor(private readonly fetchPage: (startingAfter: string | undefined) => Promise<Page<T>>) {}

  page(): Promise<Page<T>> {
    return this.fetchPage(undefined);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let startingAfter: string | undefined;
    for (;;) {
      const page = await this.fetchPage(startingAfter);
      yield* page.data;
      const last = page.data.at(-1);
      if (!page.has_more || !last) return;
      startingAfter = last.id;
    }
  }

  /** Every item, or the first `max` of them. */
  async toArray(max = Infinity): Promise<T[]> {
    const items: T[] = [];
    if (items.length >= max) return items;
    for await (const item of this) {
      items.push(item);
      if (items.length >= max) break;
    }
    return items;
  }
}
