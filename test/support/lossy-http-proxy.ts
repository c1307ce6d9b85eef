import { createServer, request as forward, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request: pass it on, answer for the server, or lose the server's answer. */
export type ProxyFault =
  | { kind: 'answer'; status: number; headers?: Record<string, string> }
  /** The server handles the request; the client's connection is cut before the answer reaches it. */
  | { kind: 'lose_answer' }
  /** The server's answer is held back this long (past the client's timeout, say). */
  | { kind: 'delay'; ms: number };

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/**
 * A real HTTP proxy in front of the real API that misbehaves on purpose, for the SDK's retries:
 * `fail(method, path, faults)` makes the next requests matching it meet those faults, in order;
 * every request is recorded.
 */
export class LossyHttpProxy {
  readonly requests: ProxiedRequest[] = [];
  private readonly faults: { method: string; path: RegExp; queue: ProxyFault[] }[] = [];
  private server!: Server;
  baseUrl = '';

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    const target = new URL(this.target);
    this.server = createServer((incoming, outgoing) => {
      const path = incoming.url ?? '/';
      this.requests.push({ method: incoming.method ?? 'GET', path, headers: incoming.headers });
      const rule = this.faults.find(
        (f) => f.method === incoming.method && f.path.test(path.split('?')[0]!) && f.queue.length > 0,
      );
      const fault = rule?.queue.shift();
      if (fault?.kind === 'answer') {
        incoming.resume();
        outgoing
          .writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
          .end(
            JSON.stringify({ error: { type: 'api_error', code: 'service_unavailable', message: 'proxy' } }),
          );
        return;
      }
      const upstream = forward(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path,
          headers: incoming.headers,
        },
        (answer) => {
          if (fault?.kind === 'lose_answer') {
            answer.resume();
            answer.on('end', () => outgoing.socket?.destroy());
            return;
          }
          const pass = () => {
            if (outgoing.destroyed) return answer.resume();
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          };
          if (fault?.kind === 'delay') setTimeout(pass, fault.ms);
          else pass();
        },
      );
      incoming.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  fail(method: string, path: RegExp, faults: ProxyFault[]): void {
    this.faults.push({ method, path, queue: [...faults] });
  }

  to(method: string, path: RegExp): ProxiedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path.split('?')[0]!));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
