import type { OperationInfo } from './operation-info.js';

interface Matcher {
  operation: OperationInfo;
  pattern: RegExp;
}

/** Finds the operation a request is, by method and path, literal segments before parameters (`/invoices/upcoming` before `/invoices/{id}`). */
export class OperationIndex {
  private readonly matchers: Matcher[];

  constructor(operations: readonly OperationInfo[]) {
    const parameters = (path: string) => (path.match(/\{[^}]+\}/g) ?? []).length;
    this.matchers = [...operations]
      .sort((a, b) => parameters(a.path) - parameters(b.path))
      .map((operation) => ({
        operation,
        pattern: new RegExp(
          `^${operation.path
            .split(/\{[^}]+\}/)
            .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]+')}$`,
        ),
      }));
  }

  /** The operation of `method` on `pathname` (the URL's path below the base URL), if the API has one. */
  find(method: string, pathname: string): OperationInfo | undefined {
    const upper = method.toUpperCase();
    return this.matchers.find((m) => m.operation.method === upper && m.pattern.test(pathname))?.operation;
  }
}
