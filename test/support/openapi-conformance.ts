import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Every answer an end-to-end test receives is checked against the API's own OpenAPI document:
 * its status must be declared for the operation and its body must match that status's schema.
 * So each test of a real flow (a paid invoice, a retried charge, a voided grant) also proves the
 * document describes what the server really answers.
 */
interface Operation {
  pattern: RegExp;
  method: string;
  path: string;
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

interface Contract {
  operations: Operation[];
  ajv: Ajv;
  validators: Map<string, ValidateFunction>;
}

const DOCUMENT_ID = 'tally-openapi';
let contract: Contract | undefined;

function patternOf(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => (/^\{.+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * The document of the compiled app (`npm run build` writes it): the in-process apps of the tests
 * run through ts-jest, which compiles file by file, so the OpenAPI compiler plugin cannot see the
 * types it needs there; the build's document is the one `npm start` serves.
 */
export function builtDocument(): OpenApiDocument {
  return JSON.parse(readFileSync(join(projectRoot, 'dist', 'openapi.json'), 'utf8')) as OpenApiDocument;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId?: string; responses: Operation['responses'] }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

function loadContract(): Contract {
  const document = builtDocument();
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, DOCUMENT_ID);
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      pattern: patternOf(path),
      method: method.toUpperCase(),
      path,
      responses: operation.responses,
    })),
  );
  // Literal segments win over parameters (…/metering_events/batch before …/metering_events/{id}).
  operations.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
  return { operations, ajv, validators: new Map() };
}

function pointer(path: string): string {
  return path.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Throws when `status` / `body` are not what the document says `method path` answers. */
export function checkConformance(method: string, url: string, status: number, body: unknown): void {
  contract ??= loadContract();
  const path = url.split('?')[0]!;
  const operation = contract.operations.find((op) => op.method === method && op.pattern.test(path));
  if (!operation || status === 405) return; // not a documented operation: nothing to compare with
  const declared = operation.responses[String(status)];
  if (!declared) {
    throw new Error(
      `${method} ${operation.path} answered ${status}, which its OpenAPI operation does not declare ` +
        `(declared: ${Object.keys(operation.responses).join(', ')}): ${JSON.stringify(body).slice(0, 500)}`,
    );
  }
  if (!declared.content?.['application/json']?.schema) return;
  const key = `${operation.method} ${operation.path} ${status}`;
  let validate = contract.validators.get(key);
  if (!validate) {
    const ref = `${DOCUMENT_ID}#/paths/${pointer(operation.path)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
    validate = contract.ajv.compile({ $ref: ref });
    contract.validators.set(key, validate);
  }
  if (!validate(body)) {
    throw new Error(
      `${key}: the body does not match the OpenAPI document: ${contract.ajv.errorsText(validate.errors, { separator: '; ' })}\n` +
        JSON.stringify(body).slice(0, 1500),
    );
  }
}
