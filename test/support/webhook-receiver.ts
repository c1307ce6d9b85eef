import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/**
 * A real HTTP server standing in for a merchant's webhook receiver. Each path answers what its
 * script says, in order (the last entry repeats): `/flaky` with [500, 500, 200] fails twice first.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly scripts = new Map<string, number[]>();
  private readonly behaviours = new Map<
    string,
    { delayMs?: number; body?: string; headers?: Record<string, string> }
  >();
  private readonly calls = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server!: Server;
  baseUrl = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const call = this.calls.get(path) ?? 0;
        this.calls.set(path, call + 1);
        const script = this.scripts.get(path) ?? [200];
        const status = script[Math.min(call, script.length - 1)]!;
        this.received.push({
          path,
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
          answered: status,
        });
        const behaviour = this.behaviours.get(path) ?? {};
        const answer = () => {
          if (response.destroyed) return;
          response
            .writeHead(status, { 'content-type': 'text/plain', ...behaviour.headers })
            .end(behaviour.body ?? `answered ${status}`);
        };
        if (behaviour.delayMs) this.timers.add(setTimeout(answer, behaviour.delayMs));
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  script(
    path: string,
    statuses: number[],
    behaviour: { delayMs?: number; body?: string; headers?: Record<string, string> } = {},
  ): string {
    this.scripts.set(path, statuses);
    this.behaviours.set(path, behaviour);
    return `${this.baseUrl}${path}`;
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.path === path);
  }

  /** What a receiver that dedupes by `webhook-id` would have processed at `path`. */
  uniqueAt(path: string): ReceivedWebhook[] {
    const seen = new Set<string>();
    return this.at(path).filter((request) => {
      const id = String(request.headers['webhook-id']);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
