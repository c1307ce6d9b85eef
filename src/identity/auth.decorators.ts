import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ApiFails } from '../common/http/openapi/api-contract.js';
import type { RoutePermission } from './domain/key-access.js';

/** How a route is authenticated; every route without one of these needs a merchant API key. */
export type RouteAccess = 'public' | 'admin' | 'portal';
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

/**
 * Needs `Authorization: Bearer pst_…`, a customer portal session's token, and takes nothing else
 * (an API key is a 403): the handler reads the session's merchant and payer with PortalCaller.
 */
export const PortalRoute = () =>
  applyDecorators(SetMetadata(ROUTE_ACCESS, 'portal' satisfies RouteAccess), ApiBearerAuth('portal'));

/** Who a portal session token stands for: one merchant's one payer. */
export interface PortalCaller {
  merchantId: string;
  sessionId: string;
  payer: { kind: 'customer' | 'account'; id: string };
}

/**
 * Resolves a portal token to its session, or throws a 401 (`portal_session_invalid`,
 * `portal_session_expired`). The portal context provides it; the guard asks it.
 */
export abstract class PortalAuthenticator {
  abstract authenticate(token: string | undefined): Promise<PortalCaller>;
}

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
  /** The portal session a portal route's request authenticated with. */
  portal?: PortalCaller;
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

/** The portal session of a PortalRoute's request: its merchant and its one payer. */
export const Portal = createParamDecorator((_data: unknown, ctx: ExecutionContext): PortalCaller => {
  const portal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().portal;
  if (!portal) throw new Error('Portal used on a route that is not a PortalRoute');
  return portal;
});
