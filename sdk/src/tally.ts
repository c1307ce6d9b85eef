import createClient, { type Client } from 'openapi-fetch';
import { apiErrorOf } from './errors.js';
import type { paths } from './generated/openapi.js';
import { OPERATIONS } from './generated/operations.js';
import { OperationIndex } from './operation-match.js';
import { type Page, Pages } from './pages.js';
import { retryingFetch } from './retrying-fetch.js';
import { verifyWebhook } from './webhooks.js';

export interface TallyOptions {
  /** A secret key (`sk_…`) or restricted key (`rk_…`); default: the TALLY_API_KEY environment variable. */
  apiKey?: string;
  /** Default: TALLY_URL, else http://localhost:3000. */
  baseUrl?: string;
  /** Retries of an idempotent operation after the first try (default 3). */
  maxRetries?: number;
  /** Per try (default 60 s). */
  timeoutMs?: number;
  /** Another fetch (a proxy agent, a test's). */
  fetch?: (request: Request) => Promise<Response>;
}

/** Per-call options of a create that takes an `Idempotency-Key` (the client makes one when absent). */
export interface CreateOptions {
  idempotencyKey?: string;
}

type Method = 'get' | 'post' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type QueryOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type BodyOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type ListQuery<P extends keyof paths> = Omit<QueryOf<P, 'get'>, 'starting_after'>;

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw apiErrorOf(response, error);
  return data as T;
}

function keyHeader(options: CreateOptions | undefined): Record<string, string> {
  return options?.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {};
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Tally's API as a typed client. `client` is the generated one (every operation, typed from the
 * OpenAPI document); the namespaces below add what it does not: answers or a thrown
 * TallyApiError, pages as async iterables, Idempotency-Keys, and webhook verification.
 * Retries happen in the transport, for `x-idempotent` operations only.
 */
export class Tally {
  readonly client: Client<paths>;

  constructor(options: TallyOptions = {}) {
    // Node's environment when there is one (the SDK also runs in browsers, where there is not).
    const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
    const apiKey = options.apiKey ?? env.TALLY_API_KEY;
    const baseUrl = (options.baseUrl ?? env.TALLY_URL ?? 'http://localhost:3000').replace(/\/$/, '');
    const transport = retryingFetch(
      {
        baseUrl,
        maxRetries: options.maxRetries ?? 3,
        timeoutMs: options.timeoutMs ?? 60_000,
        fetch: options.fetch ?? ((request) => fetch(request)),
        sleep,
        random: Math.random,
      },
      new OperationIndex(OPERATIONS),
    );
    this.client = createClient<paths>({
      baseUrl,
      fetch: transport,
      headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
    });
  }

  private pages<T extends { id: string }>(
    list: (startingAfter: string | undefined) => Promise<Answer<Page<T>>>,
  ): Pages<T> {
    return new Pages((startingAfter) => unwrap(list(startingAfter)));
  }

  readonly customers = {
    create: (body: BodyOf<'/v1/customers', 'post'>) => unwrap(this.client.POST('/v1/customers', { body })),
    get: (id: string) => unwrap(this.client.GET('/v1/customers/{id}', { params: { path: { id } } })),
    update: (id: string, body: BodyOf<'/v1/customers/{id}', 'post'>) =>
      unwrap(this.client.POST('/v1/customers/{id}', { params: { path: { id } }, body })),
    list: (query: ListQuery<'/v1/customers'> = {}) =>
      this.pages((starting_after) =>
        this.client.GET('/v1/customers', { params: { query: { ...query, starting_after } } }),
      ),
    invoiceBalances: (id: string) =>
      unwrap(this.client.GET('/v1/customers/{id}/invoice_balances', { params: { path: { id } } })),
  };

  readonly accounts = {
    create: (body: BodyOf<'/v1/accounts', 'post'>) => unwrap(this.client.POST('/v1/accounts', { body })),
    get: (id: string) => unwrap(this.client.GET('/v1/accounts/{id}', { params: { path: { id } } })),
    update: (id: string, body: BodyOf<'/v1/accounts/{id}', 'post'>) =>
      unwrap(this.client.POST('/v1/accounts/{id}', { params: { path: { id } }, body })),
    list: (query: ListQuery<'/v1/accounts'> = {}) =>
      this.pages((starting_after) =>
        this.client.GET('/v1/accounts', { params: { query: { ...query, starting_after } } }),
      ),
  };

  readonly metrics = {
    create: (body: BodyOf<'/v1/billing/metering', 'post'>) =>
      unwrap(this.client.POST('/v1/billing/metering', { body })),
    get: (id: string) => unwrap(this.client.GET('/v1/billing/metering/{id}', { params: { path: { id } } })),
    archive: (id: string) =>
      unwrap(this.client.POST('/v1/billing/metering/{id}/archive', { params: { path: { id } } })),
    list: (query: ListQuery<'/v1/billing/metering'> = {}) =>
      this.pages((starting_after) =>
        this.client.GET('/v1/billing/metering', { params: { query: { ...query, starting_after } } }),
      ),
  };

  readonly events = {
    /** Logs one event; a known `reference` answers the original (`duplicate: true`), so a retry is safe. */
    log: (body: BodyOf<'/v1/billing/metering_events', 'post'>) =>
      unwrap(this.client.POST('/v1/billing/metering_events', { body })),
    /** Up to 1,000 events; refused ones are items of the answer, not a thrown error. */
    logBatch: (body: BodyOf<'/v1/billing/metering_events/batch', 'post'>) =>
      unwrap(this.client.POST('/v1/billing/metering_events/batch', { body })),
    get: (id: string) =>
      unwrap(this.client.GET('/v1/billing/metering_events/{id}', { params: { path: { id } } })),
    list: (query: ListQuery<'/v1/billing/metering_events'> = {}) =>
      this.pages((starting_after) =>
        this.client.GET('/v1/billing/metering_events', { params: { query: { ...query, starting_after } } }),
      ),
    void: (
      id: string,
      body: BodyOf<'/v1/billing/metering_events/{id}/void', 'post'> = {},
      options?: CreateOptions,
    ) =>
      unwrap(
        this.client.POST('/v1/billing/metering_events/{id}/void', {
          params: { path: { id } },
          body,
          headers: keyHeader(options),
        }),
      ),
    voidByReference: (body: BodyOf<'/v1/billing/metering_events/void', 'post'>, options?: CreateOptions) =>
      unwrap(this.client.POST('/v1/billing/metering_events/void', { body, headers: keyHeader(options) })),
    voidBatch: (body: BodyOf<'/v1/billing/metering_events/void/batch', 'post'>) =>
      unwrap(this.client.POST('/v1/billing/metering_events/void/batch', { body })),
    amend: (
      id: string,
      body: BodyOf<'/v1/billing/metering_events/{id}/amend', 'post'>,
      options?: CreateOptions,
    ) =>
      unwrap(
        this.client.POST('/v1/billing/metering_events/{id}/amend', {
          params: { path: { id } },
          body,
          headers: keyHeader(options),
        }),
      ),
  };

  readonly reports = {
    customer: (query: QueryOf<'/v1/billing/report/customer', 'get'>) =>
      unwrap(this.client.GET('/v1/billing/report/customer', { params: { query } })),
    event: (eventName: string, query: QueryOf<'/v1/billing/report/event/{event_name}', 'get'>) =>
      unwrap(
        this.client.GET('/v1/billing/report/event/{event_name}', {
          params: { path: { event_name: eventName }, query },
        }),
      ),
    events: (query: QueryOf<'/v1/billing/report/events', 'get'>) =>
      unwrap(this.client.GET('/v1/billing/report/events', { params: { query } })),
    subscription: (query: QueryOf<'/v1/billing/report/subscription', 'get'>) =>
      unwrap(this.client.GET('/v1/billing/report/subscription', { params: { query } })),
    thresholdProgress: (query: QueryOf<'/v1/billing/report/threshold_progress', 'get'>) =>
      unwrap(this.client.GET('/v1/billing/report/threshold_progress', { params: { query } })),
  };

  readonly invoices = {
    create: (body: BodyOf<'/v1/invoices', 'post'>, options?: CreateOptions) =>
      unwrap(this.client.POST('/v1/invoices', { body, headers: keyHeader(options) })),
    get: (id: string) => unwrap(this.client.GET('/v1/invoices/{id}', { params: { path: { id } } })),
    list: (query: ListQuery<'/v1/invoices'> = {}) =>
      this.pages((starting_after) =>
        this.client.GET('/v1/invoices', { params: { query: { ...query, starting_after } } }),
      ),
    upcoming: (query: QueryOf<'/v1/invoices/upcoming', 'get'> = {}) =>
      unwrap(this.client.GET('/v1/invoices/upcoming', { params: { query } })),
    issue: (id: string) => unwrap(this.client.POST('/v1/invoices/{id}/issue', { params: { path: { id } } })),
    /** Charges the invoice now. Never retried by the client: a lost answer must not charge twice. */
    pay: (id: string, body: BodyOf<'/v1/invoices/{id}/pay', 'post'> = {}) =>
      unwrap(this.client.POST('/v1/invoices/{id}/pay', { params: { path: { id } }, body })),
    void: (id: string) => unwrap(this.client.POST('/v1/invoices/{id}/void', { params: { path: { id } } })),
    addLine: (body: BodyOf<'/v1/invoice_line_items', 'post'>, options?: CreateOptions) =>
      unwrap(this.client.POST('/v1/invoice_line_items', { body, headers: keyHeader(options) })),
    createBillingInvoice: (body: BodyOf<'/v1/billing/billing_invoice', 'post'>, options?: CreateOptions) =>
      unwrap(this.client.POST('/v1/billing/billing_invoice', { body, headers: keyHeader(options) })),
  };

  readonly subscriptions = {
    create: (body: BodyOf<'/v1/subscriptions', 'post'>, options?: CreateOptions) =>
      unwrap(this.client.POST('/v1/subscriptions', { body, headers: keyHeader(options) })),
    get: (id: string) => unwrap(this.client.GET('/v1/subscriptions/{id}', { params: { path: { id } } })),
    update: (id: string, body: BodyOf<'/v1/subscriptions/{id}', 'post'>) =>
      unwrap(this.client.POST('/v1/subscriptions/{id}', { params: { path: { id } }, body })),
    cancel: (id: string, body: BodyOf<'/v1/subscriptions/{id}/cancel', 'post'> = {}) =>
      unwrap(this.client.POST('/v1/subscriptions/{id}/cancel', { params: { path: { id } }, body })),
    billNow: (id: string) =>
      unwrap(this.client.POST('/v1/subscriptions/{id}/bill_now', { params: { path: { id } } })),
    list: (query: ListQuery<'/v1/subscriptions'> = {}) =>
      this.pages((starting_after) =>
        this.client.GET('/v1/subscriptions', { params: { query: { ...query, starting_after } } }),
      ),
  };

  readonly credits = {
    grant: (body: BodyOf<'/v1/billing/credits', 'post'>, options?: CreateOptions) =>
      unwrap(this.client.POST('/v1/billing/credits', { body, headers: keyHeader(options) })),
    get: (id: string) => unwrap(this.client.GET('/v1/billing/credits/{id}', { params: { path: { id } } })),
    void: (id: string) =>
      unwrap(this.client.POST('/v1/billing/credits/{id}/void', { params: { path: { id } } })),
    list: (query: ListQuery<'/v1/billing/credits'> = {}) =>
      this.pages((starting_after) =>
        this.client.GET('/v1/billing/credits', { params: { query: { ...query, starting_after } } }),
      ),
    ledger: (query: ListQuery<'/v1/billing/credits/ledger'> = {}) =>
      this.pages((starting_after) =>
        this.client.GET('/v1/billing/credits/ledger', { params: { query: { ...query, starting_after } } }),
      ),
  };

  readonly webhooks = {
    /** Verifies a received webhook (raw body, its headers, the endpoint's secret) and answers the event. */
    verify: verifyWebhook,
    endpoints: {
      create: (body: BodyOf<'/v1/webhook_endpoints', 'post'>, options?: CreateOptions) =>
        unwrap(this.client.POST('/v1/webhook_endpoints', { body, headers: keyHeader(options) })),
      get: (id: string) =>
        unwrap(this.client.GET('/v1/webhook_endpoints/{id}', { params: { path: { id } } })),
      update: (id: string, body: BodyOf<'/v1/webhook_endpoints/{id}', 'post'>) =>
        unwrap(this.client.POST('/v1/webhook_endpoints/{id}', { params: { path: { id } }, body })),
      delete: (id: string) =>
        unwrap(this.client.DELETE('/v1/webhook_endpoints/{id}', { params: { path: { id } } })),
      /** Never retried by the client: a lost answer would leave the caller without the new secret. */
      rotateSecret: (id: string) =>
        unwrap(this.client.POST('/v1/webhook_endpoints/{id}/rotate_secret', { params: { path: { id } } })),
      list: (query: ListQuery<'/v1/webhook_endpoints'> = {}) =>
        this.pages((starting_after) =>
          this.client.GET('/v1/webhook_endpoints', { params: { query: { ...query, starting_after } } }),
        ),
    },
    events: {
      get: (id: string) => unwrap(this.client.GET('/v1/webhook_events/{id}', { params: { path: { id } } })),
      list: (query: ListQuery<'/v1/webhook_events'> = {}) =>
        this.pages((starting_after) =>
          this.client.GET('/v1/webhook_events', { params: { query: { ...query, starting_after } } }),
        ),
      deliveries: (id: string, query: ListQuery<'/v1/webhook_events/{id}/deliveries'> = {}) =>
        this.pages((starting_after) =>
          this.client.GET('/v1/webhook_events/{id}/deliveries', {
            params: { path: { id }, query: { ...query, starting_after } },
          }),
        ),
      /** Sends the event again to its endpoints. Never retried by the client. */
      redeliver: (id: string) =>
        unwrap(this.client.POST('/v1/webhook_events/{id}/redeliver', { params: { path: { id } } })),
    },
  };
}
