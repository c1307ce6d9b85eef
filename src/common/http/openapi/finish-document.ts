import type { OpenAPIObject } from '@nestjs/swagger';
import { errorSchema, exactlyOneFields } from './api-contract.js';
import { NO_NUL_PATTERN } from '../nul-characters.js';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Schema = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/**
 * The errors every operation of a kind can answer, wherever it is: written once here rather than
 * on each route. Route-specific codes (ApiFails) are merged into the same statuses.
 */
function sharedErrors(path: string, operation: Operation): Record<number, string[]> {
  const errors: Record<number, string[]> = { 500: ['internal_error'] };
  // Every operation but the probes reads PostgreSQL; readyz declares its own 503 body.
  if (path.startsWith('/v1/') || path.startsWith('/admin/')) errors[503] = ['service_unavailable'];
  const security = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
  if (security.includes('bearer')) {
    errors[401] = ['api_key_missing', 'api_key_invalid'];
    // A restricted key calling a route that needs more than its access (x-tally-permission).
    errors[403] = ['permission_denied'];
    // Per merchant, over every API process: ingestion counts events, everything else requests.
    errors[429] = ['rate_limited'];
  }
  if (security.includes('portal')) {
    // A customer portal session's token (pst_…): unknown or malformed, or past its expires_at.
    errors[401] = ['portal_session_invalid', 'portal_session_expired'];
    // An API key (sk_/rk_) sent to a portal route.
    errors[403] = ['permission_denied'];
    // Counted against the session's merchant, like its own requests.
    errors[429] = ['rate_limited'];
  }
  const parameters = (operation.parameters ?? []) as { in?: string }[];
  if (parameters.some((p) => p.in === 'query' || p.in === 'path') || operation.requestBody) {
    errors[400] = ['parameter_invalid', 'parameter_unknown'];
  }
  if (operation.requestBody) {
    errors[400] = [...(errors[400] ?? []), 'parameter_missing', 'invalid_request'];
    errors[413] = ['payload_too_large'];
    errors[415] = ['unsupported_media_type'];
  }
  if (path.includes('{')) {
    errors[404] = ['resource_missing'];
    errors[414] = ['uri_too_long']; // a path parameter over Fastify's 100-character limit
  }
  return errors;
}

function declaredCodes(response: unknown): string[] {
  const schema = (response as { content?: Record<string, { schema?: Schema }> })?.content?.[
    'application/json'
  ]?.schema as { allOf?: { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } }[] };
  return schema?.allOf?.[1]?.properties?.error?.properties?.code?.enum ?? [];
}

const RETRY_AFTER_STATUSES = new Set(['429', '503']);
const RETRY_AFTER_HEADER = {
  description: 'Seconds to wait before retrying.',
  schema: { type: 'integer', minimum: 1 },
};

function addSharedErrors(path: string, operation: Operation): void {
  for (const [status, codes] of Object.entries(sharedErrors(path, operation))) {
    const existing = operation.responses[status];
    const all = [...new Set([...declaredCodes(existing), ...codes])].sort();
    operation.responses[status] = {
      description: `\`${all.join('`, `')}\``,
      ...(RETRY_AFTER_STATUSES.has(status) && { headers: { 'Retry-After': RETRY_AFTER_HEADER } }),
      content: { 'application/json': { schema: errorSchema(all) } },
    };
  }
}

/**
 * Objects are closed: the server refuses unknown request fields (400 parameter_unknown) and
 * answers no field it does not document, so every component says so, except maps that declare
 * their own additionalProperties (metadata).
 */
function closeObjects(schema: Schema): void {
  if (schema.type === 'object' && schema.properties && schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
  }
  for (const value of Object.values(schema)) {
    if (Array.isArray(value)) value.forEach((item) => item && typeof item === 'object' && closeObjects(item));
    else if (value && typeof value === 'object') closeObjects(value as Schema);
  }
}

/**
 * Which request fields name an object a create answers, by the create's path: OpenAPI links from
 * each create to the operations that take its id, so a client (and the fuzzer's stateful phase)
 * can follow "create a customer, then use its id".
 */
const ID_FIELDS: Record<string, string[]> = {
  '/v1/customers': ['customer', 'customer_id'],
  '/v1/accounts': ['account', 'account_id'],
  '/v1/invoices': ['invoice'],
  '/v1/billing/billing_invoice': ['invoice'],
  '/v1/subscriptions': ['subscription_id'],
  '/v1/webhook_endpoints': ['endpoint'],
  '/v1/billing/credits': ['grant'],
};

interface Linkable {
  path: string;
  method: string;
  operation: Operation;
}

function bodyProperties(document: OpenAPIObject, operation: Operation): string[] {
  const schema = (operation.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> })
    ?.content?.['application/json']?.schema;
  const name = schema?.$ref?.replace('#/components/schemas/', '');
  const component = name ? (document.components?.schemas?.[name] as { properties?: object }) : undefined;
  return Object.keys(component?.properties ?? {});
}

/** A body whose fields are all optional may be left out entirely; the server then takes `{}`. */
function markOptionalBody(document: OpenAPIObject, operation: Operation): void {
  const body = operation.requestBody as {
    required?: boolean;
    content?: Record<string, { schema?: { $ref?: string } }>;
  };
  const name = body?.content?.['application/json']?.schema?.$ref?.replace('#/components/schemas/', '');
  const component = name ? (document.components?.schemas?.[name] as Schema | undefined) : undefined;
  if (component && !(component.required as string[] | undefined)?.length && !component.oneOf)
    body.required = false;
}

/**
 * Where a create's answer holds the new object's id: `/id`, or `/<field>/id` when the object is
 * wrapped with something shown once (a new API key and its secret).
 */
function createdIdPointer(document: OpenAPIObject, operation: Operation): string | undefined {
  const component = (ref: unknown) =>
    typeof ref === 'string'
      ? (document.components?.schemas?.[ref.replace('#/components/schemas/', '')] as Schema | undefined)
      : undefined;
  const created = operation.responses['201'] as { content?: Record<string, { schema?: Schema }> };
  const schema = component(created?.content?.['application/json']?.schema?.$ref);
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  if (properties.id) return '$response.body#/id';
  for (const [field, property] of Object.entries(properties)) {
    const inner = component(property.$ref) as { properties?: Record<string, unknown> } | undefined;
    if (inner?.properties?.id) return `$response.body#/${field}/id`;
  }
  return undefined;
}

function linksFrom(document: OpenAPIObject, create: Linkable, all: Linkable[]): Record<string, object> {
  const links: Record<string, object> = {};
  const createPath = create.path;
  const id = createdIdPointer(document, create.operation);
  if (!id) return links;
  const fields = ID_FIELDS[createPath] ?? [];
  for (const target of all) {
    if (!target.operation.operationId) continue;
    if (target.path.startsWith(`${createPath}/{id}`)) {
      links[target.operation.operationId] = {
        operationId: target.operation.operationId,
        parameters: { 'path.id': id },
      };
      continue;
    }
    const query = ((target.operation.parameters ?? []) as { in?: string; name?: string }[])
      .filter((p) => p.in === 'query' && fields.includes(p.name ?? ''))
      .map((p) => p.name!);
    const body = bodyProperties(document, target.operation).filter((name) => fields.includes(name));
    if (query.length === 0 && body.length === 0) continue;
    links[target.operation.operationId] = {
      operationId: target.operation.operationId,
      ...(query.length > 0 && {
        parameters: Object.fromEntries(query.map((name) => [`query.${name}`, id])),
      }),
      ...(body.length > 0 && {
        requestBody: Object.fromEntries(body.map((name) => [name, id])),
      }),
    };
  }
  return links;
}

function addLinks(document: OpenAPIObject): void {
  const all: Linkable[] = Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ path, method, operation: item[method] }] : [])),
  );
  for (const create of all) {
    const created = create.operation.responses['201'] as { links?: Record<string, object> } | undefined;
    if (create.method !== 'post' || !created) continue;
    const links = linksFrom(document, create, all);
    if (Object.keys(links).length > 0) created.links = links;
  }
}

/**
 * States the NUL rule on every request string that has no pattern of its own (one that has, an id
 * or a date-time, excludes NUL already), following $refs into the components a request uses.
 */
function refuseNulInRequests(schema: Schema, schemas: Record<string, Schema>, seen: Set<string>): void {
  const ref = schema.$ref as string | undefined;
  if (ref) {
    const name = ref.replace('#/components/schemas/', '');
    if (!seen.has(name) && schemas[name]) {
      seen.add(name);
      refuseNulInRequests(schemas[name], schemas, seen);
    }
    return;
  }
  if (schema.type === 'string' && schema.pattern === undefined && schema.enum === undefined) {
    schema.pattern = NO_NUL_PATTERN;
  }
  if (
    schema.type === 'object' &&
    schema.additionalProperties &&
    typeof schema.additionalProperties === 'object'
  ) {
    schema.propertyNames ??= { pattern: NO_NUL_PATTERN };
  }
  for (const value of Object.values(schema)) {
    if (Array.isArray(value)) {
      value.forEach((item) => item && typeof item === 'object' && refuseNulInRequests(item, schemas, seen));
    } else if (value && typeof value === 'object') refuseNulInRequests(value as Schema, schemas, seen);
  }
}

function requestSchemas(operation: Operation): Schema[] {
  const parameters = ((operation.parameters ?? []) as { schema?: Schema }[]).flatMap((p) =>
    p.schema ? [p.schema] : [],
  );
  const body = (operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)
    ?.content?.['application/json']?.schema;
  return body ? [...parameters, body] : parameters;
}

const PERMISSION_SENTENCES: Record<string, string> = {
  read: 'Needs a secret key or a read-only key.',
  write: 'Needs a secret key.',
  ingest: 'Needs a secret key or an ingest-only key.',
  keys: 'Needs a secret key.',
};

/** States in words what `x-tally-permission` (set with the route's Needs) asks of the calling key. */
function describePermission(operation: Operation): void {
  const permission = (operation as unknown as Record<string, unknown>)['x-tally-permission'];
  if (typeof permission !== 'string') return;
  const sentence = PERMISSION_SENTENCES[permission];
  if (!sentence) throw new Error(`Unknown x-tally-permission ${permission}`);
  operation.description = operation.description ? `${operation.description}\n\n${sentence}` : sentence;
}

/**
 * States on every operation whether a client may send it again after a timeout, a 429 or a 5xx
 * without changing its effect (`x-idempotent`), which the SDK's retries follow: reads, writes
 * marked with ApiIdempotent, and the creates that take an `Idempotency-Key` (the SDK supplies one).
 * Everything else (payments, redeliveries, secret rotation, plain creates) is not.
 */
function markIdempotency(method: string, operation: Operation): void {
  const extensions = operation as unknown as Record<string, unknown>;
  const takesKey = ((operation.parameters ?? []) as { in?: string; name?: string }[]).some(
    (p) => p.in === 'header' && p.name?.toLowerCase() === 'idempotency-key',
  );
  extensions['x-idempotent'] =
    method === 'get' || method === 'head' || takesKey || extensions['x-idempotent'] === true;
}

/** Applies the rules that hold for every operation to the document Nest derives from the routes. */
export function finishDocument(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  for (const schema of Object.values(schemas)) closeObjects(schema);
  for (const [name, fields] of exactlyOneFields()) {
    if (schemas[name]) schemas[name].oneOf = fields.map((field) => ({ required: [field] }));
  }
  const requestComponents = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      if (operation.requestBody) markOptionalBody(document, operation);
      for (const schema of requestSchemas(operation)) refuseNulInRequests(schema, schemas, requestComponents);
      addSharedErrors(path, operation);
      describePermission(operation);
      markIdempotency(method, operation);
    }
  }
  addLinks(document);
  return document;
}
