import { type Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { TALLY_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

// @temporalio/proto is CommonJS; Node's ESM loader exposes only its default export.
const { IndexedValueType } = proto.temporal.api.enums.v1;

/** gRPC's status code for a method the server does not implement. */
const GRPC_UNIMPLEMENTED = 12;

const INDEXED_VALUE_TYPE = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
} as const;

/** The `--search-attribute` flags for `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  return TALLY_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);
}

/**
 * Registers Tally's search attributes on a cluster that lacks them (a production cluster, or a
 * dev server started without the flags). Already-registered attributes are left as they are.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const known = new Set<string>();
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    for (const name of Object.keys(existing.customAttributes ?? {})) known.add(name);
  } catch (error) {
    // The time-skipping test server cannot list them (UNIMPLEMENTED); adding them all is harmless.
    if ((error as { code?: number }).code !== GRPC_UNIMPLEMENTED) throw error;
  }
  const missing = TALLY_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return;
  const searchAttributes = Object.fromEntries(missing.map((key) => [key.name, INDEXED_VALUE_TYPE[key.type]]));
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (error) {
    // Another process registered them meanwhile.
    if (!/already exists/i.test(String((error as Error).message))) throw error;
  }
}
