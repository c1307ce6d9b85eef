import { LRUCache } from 'lru-cache';

/**
 * An LRU of values found by an async lookup. Concurrent misses for one key share a single
 * lookup (a batch of 1,000 events for one new metric makes one query, not 1,000), and a
 * lookup that finds nothing (null) is not kept, so a thing created a moment later is found.
 */
export class LoadingCache<V extends object> {
  private readonly values: LRUCache<string, V>;
  private readonly loading = new Map<string, Promise<V | null>>();

  constructor(options: { max: number; ttlMs?: number }) {
    this.values = new LRUCache<string, V>({
      max: options.max,
      ...(options.ttlMs ? { ttl: options.ttlMs } : {}),
    });
  }

  get(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const cached = this.values.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const lookup = load()
      .then((value) => {
        if (value !== null) this.values.set(key, value);
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, lookup);
    return lookup;
  }

  delete(key: string): void {
    this.values.delete(key);
  }
}
