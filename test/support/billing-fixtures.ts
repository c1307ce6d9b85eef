import { http } from './test-stack.js';

/** A caller bound to one merchant's key. */
export type Call = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: any; headers: Headers }>;

export function caller(baseUrl: string, key: string): Call {
  return (method, path, body, headers) => http(baseUrl, method, path, { key, body, headers });
}

/** A customer with a sandbox card attached (its default payment method). */
export async function customerWithCard(
  call: Call,
  token: string,
): Promise<{ customer: string; paymentMethod: string }> {
  const customer = (await call('POST', '/v1/customers', { name: `pays with ${token}` })).body.id as string;
  const method = await call('POST', `/v1/customers/${customer}/payment_methods`, { token });
  if (method.status !== 201) throw new Error(`attaching ${token} answered ${method.status}`);
  return { customer, paymentMethod: method.body.id };
}

export async function sumMetric(call: Call, eventName: string, unitAmount: string): Promise<string> {
  const metric = await call('POST', '/v1/billing/metering', {
    name: eventName,
    event_name: eventName,
    aggregation: 'sum',
    unit_amount: unitAmount,
  });
  if (metric.status !== 201) throw new Error(`creating a metric answered ${metric.status}`);
  return metric.body.id;
}

/** A sum metric in two graduated tiers: the first ten units at 1.00, the rest at 0.50. */
export async function twoTierMetric(call: Call, eventName: string, name: string): Promise<string> {
  const metric = await call('POST', '/v1/billing/metering', {
    name,
    event_name: eventName,
    aggregation: 'sum',
    price: {
      model: 'graduated',
      tiers: [
        { up_to: '10', unit_amount: '1.00' },
        { up_to: null, unit_amount: '0.50' },
      ],
    },
  });
  if (metric.status !== 201) throw new Error(`creating a metric answered ${metric.status}`);
  return metric.body.id;
}

/** A draft manual invoice in usd with one line of `amount`; answers its id. */
export async function manualDraft(
  call: Call,
  customer: string,
  amount: string,
  collectionMethod: 'auto_charge' | 'send_invoice',
): Promise<string> {
  const draft = await call('POST', '/v1/invoices', {
    customer,
    currency: 'usd',
    collection_method: collectionMethod,
  });
  if (draft.status !== 201) throw new Error(`creating a draft answered ${draft.status}`);
  const line = await call('POST', '/v1/invoice_line_items', {
    invoice: draft.body.id,
    description: 'Fee',
    unit_amount: amount,
  });
  if (line.status !== 201) throw new Error(`adding a line answered ${line.status}`);
  return draft.body.id as string;
}

/** Logs `count` events of `value` for the customer, spread over the hour after `from`, in batches of 1,000. */
export async function logEvents(
  call: Call,
  options: {
    customer: string;
    eventName: string;
    count: number;
    value: string;
    from: string;
    prefix: string;
  },
): Promise<void> {
  const start = Date.parse(options.from);
  for (let offset = 0; offset < options.count; offset += 1000) {
    const events = [];
    for (let i = offset; i < Math.min(options.count, offset + 1000); i += 1) {
      events.push({
        customer: options.customer,
        event_name: options.eventName,
        reference: `${options.prefix}-${i}`,
        value: options.value,
        timestamp: new Date(start + (i % 3_600_000)).toISOString(),
      });
    }
    const answer = await call('POST', '/v1/billing/metering_events/batch', { events });
    if (answer.status !== 200 || answer.body.created !== events.length) {
      throw new Error(
        `logging events answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`,
      );
    }
  }
}

/** An invoice line as the API answers it (the fields the billing tests compare). */
export interface InvoiceLine {
  kind: string;
  metric: string | null;
  description: string;
  quantity: string;
  unit_amount: string | null;
  amount: string;
  tiers: unknown[] | null;
  period_start: string | null;
  period_end: string | null;
}

/** A line's priced fields, without what only a stored line has (its id and invoice). */
export const pricedLine = (line: InvoiceLine): InvoiceLine => ({
  kind: line.kind,
  metric: line.metric,
  description: line.description,
  quantity: line.quantity,
  unit_amount: line.unit_amount,
  amount: line.amount,
  tiers: line.tiers,
  period_start: line.period_start,
  period_end: line.period_end,
});

/** A tier row as a line shows it. */
export const tierRow = (
  from: string,
  to: string | null,
  quantity: string,
  unit: string,
  flat: string,
  amount: string,
) => ({ from, to, quantity, unit_amount: unit, flat_amount: flat, amount });
