import { DataSource } from 'typeorm';
import { ID_PREFIXES, type IdKind } from '../../src/common/ids/ids.js';
import { WebhookEmitter } from '../../src/webhooks/webhook-emitter.js';
import { caller, customerWithCard, manualDraft, sumMetric, type Call } from '../support/billing-fixtures.js';
import { builtDocument } from '../support/openapi-conformance.js';
import { tableDigests } from '../support/table-digests.js';
import { createMerchant, http, useTestStack } from '../support/test-stack.js';

/**
 * For every operation of the document that takes an id (in its path, query or body), merchant
 * B's key with one of merchant A's ids in place of B's own answers as if the id did not exist,
 * shows nothing of A's, and writes nothing (every table compared before and after).
 */

/** An id of some kind, an active metric's event_name, or an event's reference. */
type Slot = IdKind | 'eventName' | 'reference';
type Ids = Record<Slot, string>;
interface Request {
  query?: Record<string, string>;
  body?: unknown;
}

/** Request fields that name an object, by the kind of id they take. */
const ID_FIELDS: Record<string, IdKind> = {
  customer: 'customer',
  customer_id: 'customer',
  account: 'account',
  account_id: 'account',
  default_payment_method: 'paymentMethod',
  payment_method: 'paymentMethod',
  invoice: 'invoice',
  endpoint: 'webhookEndpoint',
  grant: 'creditGrant',
  subscription_id: 'subscription',
};

let reference = 0;
const event = (ids: Ids, payer: 'customer' | 'account') => ({
  [payer]: ids[payer],
  event_name: ids.eventName,
  reference: `sweep-${++reference}`,
  value: '1',
});
const period = { start_date: '2026-01-01T00:00:00Z', end_date: '2026-02-01T00:00:00Z' };

/**
 * A valid request of each operation that takes more than its path id, written with B's own ids,
 * so that only the one id swapped for A's can be why it is refused. Operations with the same
 * request for each payer kind are written once per kind.
 */
const REQUESTS: Record<string, ((ids: Ids) => Request)[]> = {
  'POST /v1/api_keys/{id}/roll': [() => ({ body: { expires_in_seconds: 60 } })],
  'POST /v1/customers/{id}': [(ids) => ({ body: { default_payment_method: ids.paymentMethod } })],
  'POST /v1/accounts/{id}': [(ids) => ({ body: { default_payment_method: ids.paymentMethod } })],
  'POST /v1/customers/{id}/payment_methods': [() => ({ body: { token: 'tok_visa' } })],
  'POST /v1/accounts/{id}/payment_methods': [() => ({ body: { token: 'tok_visa' } })],
  'POST /v1/webhook_endpoints/{id}': [() => ({ body: { description: 'renamed' } })],
  'POST /v1/webhook_events/{id}/redeliver': [(ids) => ({ body: { endpoint: ids.webhookEndpoint } })],
  'POST /v1/invoices/{id}/pay': [(ids) => ({ body: { payment_method: ids.paymentMethod } })],
  'POST /v1/subscriptions/{id}': [() => ({ body: { cancel_at_period_end: true } })],
  'POST /v1/subscriptions/{id}/cancel': [() => ({ body: { at_period_end: true } })],
  'POST /v1/billing/metering_events': [
    (ids) => ({ body: event(ids, 'customer') }),
    (ids) => ({ body: event(ids, 'account') }),
  ],
  'POST /v1/billing/metering_events/batch': [
    (ids) => ({ body: { events: [event(ids, 'customer')] } }),
    (ids) => ({ body: { events: [event(ids, 'account')] } }),
  ],
  'POST /v1/billing/metering_events/void': [(ids) => ({ body: { reference: ids.reference } })],
  'POST /v1/billing/metering_events/void/batch': [
    (ids) => ({ body: { voids: [{ id: ids.event }] } }),
    (ids) => ({ body: { voids: [{ reference: ids.reference }] } }),
  ],
  'POST /v1/billing/metering_events/{id}/amend': [
    (ids) => ({ body: { customer: ids.customer } }),
    (ids) => ({ body: { account: ids.account } }),
  ],
  'GET /v1/billing/metering_events': [
    (ids) => ({ query: { customer: ids.customer } }),
    (ids) => ({ query: { account: ids.account } }),
    (ids) => ({ query: { reference: ids.reference } }),
  ],
  'POST /v1/billing/billing_invoice': [
    (ids) => ({
      body: { customer: ids.customer, ...period, currency: 'usd', collection_method: 'send_invoice' },
    }),
    (ids) => ({
      body: { account: ids.account, ...period, currency: 'usd', collection_method: 'send_invoice' },
    }),
    (ids) => ({
      body: {
        customer: ids.customer,
        payment_method: ids.paymentMethod,
        ...period,
        currency: 'usd',
        collection_method: 'auto_charge',
      },
    }),
  ],
  'POST /v1/invoices': [
    (ids) => ({ body: { customer: ids.customer, currency: 'usd', collection_method: 'send_invoice' } }),
    (ids) => ({ body: { account: ids.account, currency: 'usd', collection_method: 'send_invoice' } }),
    (ids) => ({
      body: {
        customer: ids.customer,
        payment_method: ids.paymentMethod,
        currency: 'usd',
        collection_method: 'auto_charge',
      },
    }),
  ],
  'GET /v1/invoices': [
    (ids) => ({ query: { customer: ids.customer } }),
    (ids) => ({ query: { account: ids.account } }),
  ],
  'POST /v1/invoice_line_items': [
    (ids) => ({ body: { invoice: ids.invoice, description: 'Fee', unit_amount: '1.00' } }),
  ],
  'POST /v1/subscriptions': [
    (ids) => ({
      body: {
        customer: ids.customer,
        payment_method: ids.paymentMethod,
        interval: 'month',
        base_amount: '1.00',
        currency: 'usd',
        items: [{ metric: ids.eventName, included_quantity: '0', unit_amount: '0.01' }],
        collection_method: 'auto_charge',
      },
    }),
  ],
  'GET /v1/subscriptions': [(ids) => ({ query: { customer: ids.customer } })],
  'POST /v1/portal_sessions': [
    (ids) => ({ body: { customer: ids.customer } }),
    (ids) => ({ body: { account: ids.account } }),
  ],
  'POST /v1/billing/credits': [
    (ids) => ({ body: { customer: ids.customer, amount: '1.00', currency: 'usd', paid: false } }),
    (ids) => ({ body: { account: ids.account, amount: '1.00', currency: 'usd', paid: false } }),
    (ids) => ({
      body: {
        customer: ids.customer,
        payment_method: ids.paymentMethod,
        amount: '1.00',
        currency: 'usd',
        paid: true,
      },
    }),
  ],
  'POST /v1/billing/credits/settings': [
    (ids) => ({ body: { customer: ids.customer, currency: 'usd', auto_top_up: null } }),
    (ids) => ({ body: { account: ids.account, currency: 'usd', auto_top_up: null } }),
  ],
  ...Object.fromEntries(
    [
      'GET /v1/billing/report/customer',
      'GET /v1/billing/report/events',
      'GET /v1/billing/credits',
      'GET /v1/billing/credits/settings',
      'GET /v1/billing/report/threshold_progress',
    ].map((operation) => [
      operation,
      [
        (ids: Ids) => ({ query: { customer_id: ids.customer } }),
        (ids: Ids) => ({ query: { account_id: ids.account } }),
      ],
    ]),
  ),
  // A merchant-wide report names no payer: only the metric's event_name, in its path.
  'GET /v1/billing/report/event/{event_name}': [
    (ids) => ({ query: { customer_id: ids.customer } }),
    (ids) => ({ query: { account_id: ids.account } }),
    () => ({ query: { payers: 'all' } }),
  ],
  'GET /v1/billing/credits/ledger': [
    (ids) => ({ query: { customer_id: ids.customer } }),
    (ids) => ({ query: { account_id: ids.account } }),
    (ids) => ({ query: { account_id: ids.account, grant: ids.creditGrant } }),
  ],
  'GET /v1/billing/report/subscription': [(ids) => ({ query: { subscription_id: ids.subscription } })],
  'GET /v1/invoices/upcoming': [
    (ids) => ({ query: { customer: ids.customer } }),
    (ids) => ({ query: { account: ids.account } }),
    (ids) => ({ query: { subscription: ids.subscription } }),
    (ids) => ({ query: { customer: ids.customer, subscription: ids.subscription } }),
  ],
};

interface Operation {
  method: string;
  path: string;
  /** What each `{parameter}` of the path takes. */
  pathSlots: Record<string, Slot>;
  /** The id fields the document gives the operation's query and body. */
  idFields: string[];
  bodyRequired: boolean;
}

type DocOperation = {
  security?: Record<string, unknown>[];
  parameters?: { in: string; name: string; schema?: { pattern?: string } }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: { $ref?: string } }> };
};

function operationsTakingIds(): Operation[] {
  const document = builtDocument();
  const paths = document.paths as unknown as Record<string, Record<string, DocOperation>>;
  const kindOfPrefix = new Map<string, IdKind>(
    Object.entries(ID_PREFIXES).map(([kind, prefix]) => [prefix, kind as IdKind]),
  );
  /** `/v1/customers/{id}` takes what the list `/v1/customers` pages through. */
  const collectionKind = (collection: string): Slot | undefined => {
    const cursor = paths[collection]?.get?.parameters?.find((p) => p.name === 'starting_after');
    const prefix = /^\^([a-z]+)_/.exec(cursor?.schema?.pattern ?? '')?.[1];
    return prefix ? kindOfPrefix.get(prefix) : undefined;
  };
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, operation]) => {
      if (!(operation.security ?? []).some((requirement) => 'bearer' in requirement)) return [];
      const pathSlots: Record<string, Slot> = {};
      for (const match of path.matchAll(/\{([^}]+)\}/g)) {
        const name = match[1]!;
        const slot = name === 'event_name' ? 'eventName' : collectionKind(path.slice(0, match.index - 1));
        if (!slot) throw new Error(`no kind of id known for {${name}} of ${path}`);
        pathSlots[name] = slot;
      }
      const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref;
      const body = ref ? document.components.schemas[ref.replace('#/components/schemas/', '')] : undefined;
      const fields = [
        ...(operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        ...Object.keys((body?.properties as object | undefined) ?? {}),
      ];
      const idFields = fields.filter((field) => field in ID_FIELDS);
      const written = `${method.toUpperCase()} ${path}` in REQUESTS; // ids inside lists (a batch's events)
      if (Object.keys(pathSlots).length === 0 && idFields.length === 0 && !written) return [];
      const required = ((body?.required as string[] | undefined) ?? []).length > 0;
      return [{ method: method.toUpperCase(), path, pathSlots, idFields, bodyRequired: required }];
    }),
  );
}

/** The kinds of id a request template reads. */
function slotsOf(template: (ids: Ids) => Request): Slot[] {
  const read = new Set<Slot>();
  template(new Proxy({} as Ids, { get: (_target, slot: Slot) => (read.add(slot), `x_${String(slot)}`) }));
  return [...read];
}

/** One object of every kind a route can name, made through the API (and the event recorder). */
async function world(rawCall: Call, tag: string, record: (type: string) => Promise<string>): Promise<Ids> {
  const call: Call = async (method, path, body) => {
    const answer = await rawCall(method, path, body);
    if (answer.status >= 300)
      throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer;
  };
  const { customer, paymentMethod } = await customerWithCard(rawCall, 'tok_visa');
  const account = (await call('POST', '/v1/accounts', { name: `account ${tag}` })).body.id as string;
  const eventName = `sweep_${tag}`;
  const metric = await sumMetric(call, eventName, '0.01');
  const logged = await call('POST', '/v1/billing/metering_events', {
    customer,
    event_name: eventName,
    reference: `world-${tag}`,
    value: '2',
  });
  const invoice = await manualDraft(call, customer, '3.00', 'send_invoice');
  const subscription = await call('POST', '/v1/subscriptions', {
    customer,
    interval: 'month',
    base_amount: '1.00',
    currency: 'usd',
    items: [{ metric: eventName, included_quantity: '0', unit_amount: '0.01' }],
    collection_method: 'send_invoice',
  });
  const grant = await call('POST', '/v1/billing/credits', {
    account,
    amount: '5.00',
    currency: 'usd',
    paid: false,
  });
  const ledger = await call('GET', `/v1/billing/credits/ledger?account_id=${account}`);
  const endpoint = await call('POST', '/v1/webhook_endpoints', {
    url: `https://hooks.example.com/${tag}`,
    enabled_events: ['*'],
  });
  const key = await call('POST', '/v1/api_keys', { name: `key ${tag}`, access: 'read' });
  const ids: Partial<Ids> = {
    customer,
    paymentMethod,
    account,
    eventName,
    metric,
    event: logged.body.id,
    reference: logged.body.reference,
    invoice,
    subscription: subscription.body.id,
    creditGrant: grant.body.id,
    creditLedgerEntry: ledger.body.data[0]?.id,
    webhookEndpoint: endpoint.body.id,
    webhookEvent: await record('billing.invoice.generated'),
    apiKey: key.body.api_key?.id,
  };
  for (const [slot, id] of Object.entries(ids))
    if (!id) throw new Error(`making the ${slot} of ${tag} failed`);
  return ids as Ids;
}

describe('tenancy: every route that takes an id, with another merchant’s ids', () => {
  const stack = useTestStack();
  const operations = operationsTakingIds();
  let a: Ids;
  let b: Ids;
  let bKey: string;

  beforeAll(async () => {
    const recorder = (merchantId: string) => async (type: string) => {
      const emitter = stack.api.app.get(WebhookEmitter);
      const recorded = await stack.api.app
        .get(DataSource)
        .transaction((tx) =>
          emitter.record(tx, { merchantId, type: type as 'billing.invoice.generated', object: { id: 'x' } }),
        );
      return recorded.id;
    };
    const merchantA = await createMerchant(stack.api.baseUrl, 'A');
    const merchantB = await createMerchant(stack.api.baseUrl, 'B');
    bKey = merchantB.key;
    a = await world(caller(stack.api.baseUrl, merchantA.key), 'a', recorder(merchantA.id));
    b = await world(caller(stack.api.baseUrl, merchantB.key), 'b', recorder(merchantB.id));
  });

  it('knows a request for every operation that needs more than its path, and covers every id field', () => {
    expect(operations.length).toBeGreaterThan(40);
    const uncovered = operations.flatMap((operation) => {
      const key = `${operation.method} ${operation.path}`;
      const templates = REQUESTS[key];
      if (!templates) return operation.bodyRequired || operation.idFields.length > 0 ? [key] : [];
      const read = new Set(templates.flatMap(slotsOf));
      return operation.idFields
        .filter((field) => !read.has(ID_FIELDS[field]!))
        .map((field) => `${key} ${field}`);
    });
    expect(uncovered).toEqual([]);
    const known = new Set(operations.map((operation) => `${operation.method} ${operation.path}`));
    expect(Object.keys(REQUESTS).filter((key) => !known.has(key))).toEqual([]);
  });

  it("answers B's key as if A's ids did not exist, shows nothing of A's, and writes nothing", async () => {
    const before = await tableDigests(stack.sql);
    const aIds = Object.values(a);
    const cases: string[] = [];
    for (const operation of operations) {
      const templates = REQUESTS[`${operation.method} ${operation.path}`] ?? [() => ({})];
      for (const template of templates) {
        const slots = new Set([...Object.values(operation.pathSlots), ...slotsOf(template)]);
        for (const swapped of slots) {
          const ids = { ...b, [swapped]: a[swapped] };
          const request = template(ids);
          const path = operation.path.replace(/\{([^}]+)\}/g, (_all, name: string) =>
            encodeURIComponent(ids[operation.pathSlots[name]!]),
          );
          const query = request.query ? `?${new URLSearchParams(request.query)}` : '';
          const answer = await http(stack.api.baseUrl, operation.method, `${path}${query}`, {
            key: bKey,
            body:
              request.body ?? (operation.method === 'GET' || operation.method === 'DELETE' ? undefined : {}),
          });
          const label = `${operation.method} ${operation.path} with A's ${swapped}${query}`;
          cases.push(label);
          const inPath = Object.values(operation.pathSlots).includes(swapped);
          const text = JSON.stringify(answer.body);
          const leaked = aIds.filter((id) => id !== a[swapped] && text.includes(id));
          const verdict = {
            label,
            leaked,
            status: inPath
              ? answer.status === 404 && answer.body.error.code === 'resource_missing'
              : [400, 404, 409].includes(answer.status) ||
                // A batch answers each item: the one naming A's payer or event is refused.
                (answer.body?.object === 'batch_result' &&
                  answer.body.rejected === 1 &&
                  (answer.body.created ?? answer.body.voided) === 0) ||
                (operation.method === 'GET' && answer.status === 200 && !text.includes(a[swapped])),
          };
          expect(verdict).toEqual({ label, leaked: [], status: true });
        }
      }
    }
    expect(cases.length).toBeGreaterThan(60);
    expect(await tableDigests(stack.sql)).toEqual(before);
  });
});
