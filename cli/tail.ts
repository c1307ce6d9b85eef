/** What `webhooks tail` has shown: ids seen, so each poll of the newest page prints only new events. */
export class TailCursor {
  private readonly seen = new Set<string>();
  private readonly order: string[] = [];

  constructor(private readonly memory = 10_000) {}

  has(id: string): boolean {
    return this.seen.has(id);
  }

  /**
   * The events of a newest-first page not seen before, oldest first (the order to print them),
   * now marked seen. Ids of events long gone from the first page are forgotten past `memory`.
   */
  take<T extends { id: string }>(newestFirst: T[]): T[] {
    const fresh = newestFirst.filter((item) => !this.seen.has(item.id)).reverse();
    for (const item of fresh) {
      this.seen.add(item.id);
      this.order.push(item.id);
    }
    while (this.order.length > this.memory) this.seen.delete(this.order.shift()!);
    return fresh;
  }
}
