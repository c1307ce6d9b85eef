import type { OpenAPIObject } from '@nestjs/swagger';
import { errorSchema, exactlyOneFields } from './api-contract.js';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Schema = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/**
 * The errors every operation of a kind can answer, wherever it is: written once here rather than
 * on each route. Route-specific codes (ApiFails) are merged into the same statuses.
 */
function sharedErrors(path: string, operation: Operation): Record<number, string[]> {
  const errors: Record<number, string[]> = { 500: ['internal_error'] };
  const security = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
  if (security.includes('bearer')) errors[401] = ['api_key_missing', 'api_key_invalid'];
  const parameters = (operation.parameters ?? []) as { in?: string }[];
  if (parameters.some((p) => p.in === 'query' || p.in === 'path') || operation.requestBody) {
    errors[400] = ['parameter_invalid', 'parameter_unknown'];
  }
  if (operation.requestBody) {
    errors[400] = [...(errors[400] ?? []), 'parameter_missing', 'invalid_request'];
    errors[413] = ['payload_too_large'];
    errors[415] = ['unsupported_media_type'];
  }
  if (path.includes('{id}')) errors[404] = ['resource_missing'];
  return errors;
}

function declaredCodes(response: unknown): string[] {
  const schema = (response as { content?: Record<string, { schema?: Schema }> })?.content?.[
    'application/json'
  ]?.schema as { allOf?: { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } }[] };
  return schema?.allOf?.[1]?.properties?.error?.properties?.code?.enum ?? [];
}

function addSharedErrors(path: string, operation: Operation): void {
  for (const [status, codes] of Object.entries(sharedErrors(path, operation))) {
    const existing = operation.responses[status];
    const all = [...new Set([...declaredCodes(existing), ...codes])].sort();
    operation.responses[status] = {
      description: `\`${all.join('`, `')}\``,
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

/** Applies the rules that hold for every operation to the document Nest derives from the routes. */
export function finishDocument(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  for (const schema of Object.values(schemas)) closeObjects(schema);
  for (const [name, fields] of exactlyOneFields()) {
    if (schemas[name]) schemas[name].oneOf = fields.map((field) => ({ required: [field] }));
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) addSharedErrors(path, operation);
    }
  }
  return document;
}
