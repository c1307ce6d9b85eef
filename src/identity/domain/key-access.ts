/**
 * What a key may do. A merchant's secret keys have `full` access; restricted keys are limited to
 * reading (`read`) or to logging events (`ingest`).
 */
export const KEY_ACCESSES = ['full', 'read', 'ingest'] as const;
export type KeyAccess = (typeof KEY_ACCESSES)[number];

export const RESTRICTED_ACCESSES = ['read', 'ingest'] as const;
export type RestrictedAccess = (typeof RESTRICTED_ACCESSES)[number];

/**
 * What a route needs: `read` (it changes nothing), `write` (it changes something), `ingest` (it
 * logs usage events) or `keys` (it manages API keys, which only a full key may do).
 */
export const ROUTE_PERMISSIONS = ['read', 'write', 'ingest', 'keys'] as const;
export type RoutePermission = (typeof ROUTE_PERMISSIONS)[number];

/** Whether a key with `access` may call a route that needs `permission`. */
export function keyAllows(access: KeyAccess, permission: RoutePermission): boolean {
  return access === 'full' || access === permission;
}

/** The longest a rolled key keeps working alongside its successor: 7 days. */
export const MAX_ROLL_GRACE_SECONDS = 7 * 24 * 3600;
