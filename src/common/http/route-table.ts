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

  /** The methods some route takes at this concrete path (none when no route matches it). */
  allowedAt(path: string): string[] {
    const bare = path.split('?')[0] ?? path;
    const methods = new Set<string>();
    for (const { pattern, methods: own } of this.routes.values()) {
      if (pattern.test(bare)) own.forEach((m) => methods.add(m));
    }
    return [...methods].sort();
  }
}

function patternOf(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}
