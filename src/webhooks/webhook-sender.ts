import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Agent, request } from 'undici';
import { TallyConfigService } from '../config/config.module.js';
import { UrlPolicy } from './url-policy.js';

export interface SendResult {
  statusCode: number | null;
  durationMs: number;
  /** The start of the response body (at most 1,000 characters). */
  responseBody: string | null;
  /** Why no response was received (timeout, refused connection, refused address). */
  error: string | null;
}

const KEPT_BODY_CHARS = 1000;
const READ_BODY_BYTES = 4096;

/**
 * POSTs signed webhook bodies. Redirects are not followed (a 3xx is a failed attempt), the whole
 * exchange has the configured time limit, and in production names are resolved through the
 * URL policy so that no request reaches a private address.
 */
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(
    private readonly policy: UrlPolicy,
    config: TallyConfigService,
  ) {
    this.timeoutMs = config.values.WEBHOOK_TIMEOUT_MS;
    this.agent = new Agent({
      connect: { lookup: policy.lookup, timeout: this.timeoutMs },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const refusal = this.policy.deliveryRefusal(url);
    if (refusal) return { statusCode: null, durationMs: 0, responseBody: null, error: refusal };
    try {
      const response = await request(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Tally-Webhooks/1' },
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const responseBody = await readStart(response.body);
      return { statusCode: response.statusCode, durationMs: elapsed(), responseBody, error: null };
    } catch (error) {
      return {
        statusCode: null,
        durationMs: elapsed(),
        responseBody: null,
        error: describe(error, this.timeoutMs),
      };
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}

async function readStart(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= READ_BODY_BYTES) {
      body.destroy();
      break;
    }
  }
  if (size === 0) return null;
  return Buffer.concat(chunks).toString('utf8').slice(0, KEPT_BODY_CHARS);
}

function describe(error: unknown, timeoutMs: number): string {
  // Duck-typed: the abort error is a DOMException, which is not always an Error of this realm.
  const { name, code, message, cause } = (error ?? {}) as {
    name?: string;
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (name === 'TimeoutError' || name === 'AbortError') return `no response within ${timeoutMs} ms`;
  if (message === undefined) return String(error).slice(0, KEPT_BODY_CHARS);
  const detail = cause?.message && cause.message !== message ? `: ${cause.message}` : '';
  return `${code ?? cause?.code ?? name ?? 'Error'}: ${message}${detail}`.slice(0, KEPT_BODY_CHARS);
}
