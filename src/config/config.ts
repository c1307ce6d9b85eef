import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from '../webhooks/domain/retry-schedule.js';
import { parseKeyring, SecretBox } from '../webhooks/domain/secret-box.js';
import { projectRoot } from './project-root.js';

const root = projectRoot();

const port = z.coerce.number().int().min(0).max(65535);
const optionalSecret = z
  .string()
  .trim()
  .min(16, 'must be at least 16 characters')
  .optional()
  .or(z.literal('').transform(() => undefined));

/** One duration such as "1d", "24h" or "500ms", as milliseconds. */
function duration(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((text, context) => {
      const delays = parseRetrySchedule(text);
      if (delays === null || delays.length !== 1) {
        context.addIssue({ code: 'custom', message: 'must be one duration such as "1d", "24h" or "500ms"' });
        return z.NEVER;
      }
      return delays[0]!;
    });
}

/** Every setting Tally reads, with its default. README and .env.example list the same. */
export const configSchema = z.object({
  TALLY_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  /** The interactive /docs page (the OpenAPI document is always served). */
  API_DOCS_PAGE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** The dashboard single-page app at /dashboard (built into dist/dashboard by `npm run build`). */
  DASHBOARD: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/tally'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:/]+:\d+$/, 'must be host:port')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('tally'),
  /**
   * How long a request waits for Temporal to take a follow-up workflow start or signal of a change
   * it committed; past it the request answers, and the outbox sweeper makes sure it happens.
   */
  TEMPORAL_HANDOFF_WAIT_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  /** How long a request that needs a workflow's answer (pay, void, bill now) waits to reach Temporal before a 503. */
  TEMPORAL_REACH_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(1500),
  TEMPORAL_UI_PORT: port.default(8233),
  /** The Temporal Web UI the dashboard links workflows to (`<url>/namespaces/<ns>/workflows/<id>`). */
  TEMPORAL_UI_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s):// URL' })
    .default('http://localhost:8233')
    .transform((url) => url.replace(/\/+$/, '')),
  TEMPORAL_CLI_PATH: z.string().min(1).default(resolve(root, '.tally/tools/bin/temporal')),
  ROLLUP_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(5000),
  ROLLUP_IDLE_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .default(DEFAULT_RETRY_SCHEDULE)
    .transform((text, context) => {
      const delays = parseRetrySchedule(text);
      if (delays === null) {
        context.addIssue({
          code: 'custom',
          message:
            'must be comma-separated delays such as "5s,5m,30m,2h" (units ms, s, m, h, d; each up to 30d)',
        });
        return z.NEVER;
      }
      return delays;
    }),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Activities one worker runs at once on its main task queue (rollup, invoices, credits, subscriptions). */
  /** Requests a second per merchant, over every API process (ingestion aside); 0: no limit. */
  RATE_LIMIT_REQUESTS_PER_S: z.coerce.number().int().min(0).max(1_000_000).default(100),
  /** Events logged a second per merchant (a batch counts each of its events); 0: no limit. */
  RATE_LIMIT_EVENTS_PER_S: z.coerce.number().int().min(0).max(10_000_000).default(10_000),
  WORKER_ACTIVITY_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Webhook attempts one worker runs at once, on a task queue of their own so slow receivers never hold up billing. */
  WEBHOOK_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(100),
  OUTBOX_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  CHARGE_RETRY_INTERVAL: duration('1d'),
  CHARGE_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
  SUBSCRIPTION_USAGE_SNAPSHOT_INTERVAL: duration('24h'),
  /** How long before a credit grant expires `billing.credits_expiration` warns. */
  CREDIT_EXPIRATION_WARNING: duration('7d'),
  /** The credit monitor re-reads balances at least this often, even without a signal. */
  CREDIT_MONITOR_RECHECK: duration('1h'),
  /** The recent consumption `threshold_progress` projects depletion from. */
  CREDIT_BURN_RATE_WINDOW: duration('7d'),
  SANDBOX_GATEWAY_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  TALLY_DATA_DIR: z.string().min(1).default(resolve(root, '.tally')),
  TALLY_ADMIN_TOKEN: optionalSecret,
  TALLY_DEV_API_KEY: z
    .string()
    .regex(/^sk_test_[A-Za-z0-9]{16,}$/, 'must look like sk_test_ followed by at least 16 letters or digits')
    .optional(),
  /**
   * The keys webhook signing secrets are sealed with at rest: `kid1:<base64 of 32 bytes>,kid0:<…>`,
   * the first sealing, all opening. Required in production; elsewhere, unset, a development key
   * is generated once under TALLY_DATA_DIR (src/webhooks/development-secret-keys.ts).
   */
  WEBHOOK_SECRET_KEYS: z
    .string()
    .transform((text, context) => {
      const parsed = parseKeyring(text);
      if (!parsed.ok) {
        for (const problem of parsed.problems) context.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return new SecretBox(parsed.entries);
    })
    .optional(),
  /**
   * The port the worker serves its Prometheus `/metrics` on (on HOST): Tally's worker metrics and
   * the Temporal SDK's own. 0 turns it off (and the SDK's exporter with it).
   */
  WORKER_METRICS_PORT: port.default(9464),
  /** When set, `/metrics` (API and worker) needs `Authorization: Bearer <token>`; unset, it is open like /healthz. */
  TALLY_METRICS_TOKEN: optionalSecret,
  /**
   * OpenTelemetry tracing, off unless set: the OTLP/HTTP collector's base URL (spans go to
   * `<url>/v1/traces`), e.g. http://127.0.0.1:4318. The SDK's OTEL_BSP_* variables tune the batching.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
  /**
   * Where customers reach this Tally (behind its proxy, if any): customer portal URLs start with it.
   * Unset: `http://<HOST>:<PORT>` (localhost for a wildcard HOST).
   */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
});

/** Settings whose values never appear in an error message (DATABASE_URL may hold a password). */
const SECRET_SETTINGS = new Set([
  'TALLY_ADMIN_TOKEN',
  'TALLY_DEV_API_KEY',
  'DATABASE_URL',
  'WEBHOOK_SECRET_KEYS',
  'TALLY_METRICS_TOKEN',
]);

export type TallyConfig = z.infer<typeof configSchema> & {
  temporalAddress: string;
  /** PUBLIC_URL, or the API's own address, without a trailing slash. */
  publicUrl: string;
};

/** The base URL customers use: PUBLIC_URL without its trailing slashes, else where the API listens. */
export function publicUrlOf(config: { PUBLIC_URL?: string; HOST: string; PORT: number }): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const wildcard = config.HOST === '0.0.0.0' || config.HOST === '::';
  const host = wildcard ? 'localhost' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${config.PORT}`;
}

export class ConfigError extends Error {}

/** Parses and validates the environment; a bad value is one clear error naming every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TallyConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const shown =
          name in cleaned && !SECRET_SETTINGS.has(name) ? ` (got ${JSON.stringify(cleaned[name])})` : '';
        return `${name} ${issue.message}${shown}`;
      });
  // A money system does not invent the key its merchants' secrets depend on: production must say.
  if (cleaned.TALLY_ENV === 'production' && cleaned.WEBHOOK_SECRET_KEYS === undefined) {
    problems.push(
      'WEBHOOK_SECRET_KEYS is required when TALLY_ENV=production (e.g. k1:$(openssl rand -base64 32))',
    );
  }
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return {
    ...parsed.data,
    temporalAddress: parsed.data.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    publicUrl: publicUrlOf(parsed.data),
  };
}

/** Reads `.env` from the project folder when there is one; variables already set in the environment win. */
export function loadDotEnvFile(path = resolve(root, '.env')): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
