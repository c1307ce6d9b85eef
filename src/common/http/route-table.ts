/**
 * The routes the server declares, by path pattern, so that a known path asked with a method it
 * does not take answers 405 with `Allow` instead of 404.
 */
export class RouteTable {
  private readonly routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();

  add(method: string | string[], url: string): void {
    const entry = this.routes.get(url) ?? { pattern: patternOf(url), methods: new Set<string>() };
    for (const m of [method].flat()) entry.methods.add(m.toUpperCase());
    this.routes.set(url, entry);
  }

  /**
   * The methods the routes of this concrete path take (none when no route matches it). Like the
   * router, a more literal route wins: `/events/batch` is that route's, not also `/events/:id`'s.
   */
  allowedAt(path: string): string[] {
    const bare = path.split('?')[0] ?? path;
    const matching = [...this.routes].filter(([, { pattern }]) => pattern.test(bare));
    const fewest = Math.min(...matching.map(([url]) => parameterCount(url)));
    const methods = new Set<string>();
    for (const [url, { methods: own }] of matching) {
      if (parameterCount(url) === fewest) own.forEach((m) => methods.add(m));
    }
    return [...methods].sort();
  }
}

function parameterCount(url: string): number {
  return url.split('/').filter((segment) => segment.startsWith(':')).length;
}

function patternOf(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}
