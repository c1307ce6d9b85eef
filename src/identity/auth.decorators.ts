import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ApiFails } from '../common/http/openapi/api-contract.js';
import type { RoutePermission } from './domain/key-access.js';

/** How a route is authenticated; every route without one of these needs a merchant API key. */
export type RouteAccess = 'public' | 'admin';
export const ROUTE_ACCESS = 'tally:route-access';

/** No authentication (health checks). */
export const PublicRoute = () => SetMetadata(ROUTE_ACCESS, 'public' satisfies RouteAccess);

/** Needs `Authorization: Bearer $TALLY_ADMIN_TOKEN`. */
export const AdminRoute = () =>
  applyDecorators(
    SetMetadata(ROUTE_ACCESS, 'admin' satisfies RouteAccess),
    ApiBearerAuth('admin'),
    ApiFails({ 401: ['admin_token_missing', 'admin_token_invalid'], 403: ['admin_api_disabled'] }),
  );

export const ROUTE_PERMISSION = 'tally:route-permission';

/**
 * What a merchant route needs of the calling key (see keyAllows); the document states it as
 * `x-tally-permission`. A merchant route without it is refused to every key but a full one.
 */
export const Needs = (permission: RoutePermission) =>
  applyDecorators(SetMetadata(ROUTE_PERMISSION, permission), ApiExtension('x-tally-permission', permission));

/**
 * An ingestion route: callable with an ingest-only key, and counted against the merchant's events
 * limit, one per event (a batch of 1,000 counts 1,000), not against its requests limit.
 */
export const IngestionRoute = () => Needs('ingest');

export interface AuthenticatedRequest {
  merchantId?: string;
  /** The key the request authenticated with. */
  apiKeyId?: string;
}

/** The authenticated merchant's id; every query a handler makes is scoped by it. */
export const MerchantId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const merchantId = ctx.switchToHttp().getRequest<AuthenticatedRequest>().merchantId;
  if (!merchantId) throw new Error('MerchantId used on a route that is not merchant-authenticated');
  return merchantId;
});

/** The id of the API key the request authenticated with (key_…), for the records of who did what. */
export const ApiKeyId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | null => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().apiKeyId ?? null;
});
