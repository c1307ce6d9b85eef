import { type CanActivate, type ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { TallyConfigService } from '../config/config.module.js';
import { AuthenticationError, PermissionError } from '../common/errors/tally-error.js';
import { RateLimiter } from '../ratelimit/rate-limiter.service.js';
import { isPortalBearer } from '../portal/domain/portal-token.js';
import {
  type AuthenticatedRequest,
  PortalAuthenticator,
  ROUTE_ACCESS,
  ROUTE_PERMISSION,
  type RouteAccess,
} from './auth.decorators.js';
import { keyAllows, type RoutePermission } from './domain/key-access.js';
import { IdentityService } from './identity.service.js';

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The events a logging or correcting request carries: a batch's count (events, voids), else one. */
function eventsIn(body: unknown): number {
  const batch = body as { events?: unknown; voids?: unknown } | null;
  const items = Array.isArray(batch?.events) ? batch.events : batch?.voids;
  return Array.isArray(items) ? Math.max(1, items.length) : 1;
}

/** The one place that decides who may call a route: merchant key (default), admin token, portal token, or public. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
    private readonly config: TallyConfigService,
    private readonly limiter: RateLimiter,
    @Optional() private readonly portals?: PortalAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    if (access === 'public') return true;
    if (access === 'admin') return this.checkAdmin(bearerToken(request));
    const bearer = bearerToken(request);
    if (access === 'portal') return this.checkPortal(request, bearer);
    if (isPortalBearer(bearer)) {
      throw new PermissionError(
        'permission_denied',
        `A portal session token opens only the /v1/portal routes; ${request.method} ${request.routeOptions.url ?? request.url} needs an API key.`,
      );
    }
    const caller = await this.identity.authenticate(bearer);
    const needs =
      this.reflector.get<RoutePermission | undefined>(ROUTE_PERMISSION, context.getHandler()) ?? 'keys';
    if (!keyAllows(caller.access, needs)) {
      throw new PermissionError(
        'permission_denied',
        `This key has ${caller.access} access; ${request.method} ${request.routeOptions.url ?? request.url} needs a key with ${needs} access (a secret key can do everything).`,
      );
    }
    request.merchantId = caller.merchantId;
    request.apiKeyId = caller.keyId;
    if (needs === 'ingest') await this.limiter.take(caller.merchantId, 'events', eventsIn(request.body));
    else await this.limiter.take(caller.merchantId, 'requests', 1);
    return true;
  }

  /** A portal route: a live portal session's token, never an API key. Never logs the bearer. */
  private async checkPortal(
    request: FastifyRequest & AuthenticatedRequest,
    bearer: string | undefined,
  ): Promise<boolean> {
    if (bearer && /^(sk|rk)_/.test(bearer)) {
      throw new PermissionError(
        'permission_denied',
        `${request.method} ${request.routeOptions.url ?? request.url} is a customer portal route: it takes a portal session token (pst_…), not an API key.`,
      );
    }
    if (!this.portals) {
      throw new AuthenticationError('portal_session_invalid', 'The customer portal is not served here.');
    }
    const portal = await this.portals.authenticate(bearer);
    request.merchantId = portal.merchantId;
    request.portal = portal;
    await this.limiter.take(portal.merchantId, 'requests', 1);
    return true;
  }

  private checkAdmin(token: string | undefined): boolean {
    const adminToken = this.config.values.TALLY_ADMIN_TOKEN;
    if (!adminToken) {
      throw new PermissionError(
        'admin_api_disabled',
        'The admin API is disabled: set TALLY_ADMIN_TOKEN to enable it.',
      );
    }
    if (!token)
      throw new AuthenticationError(
        'admin_token_missing',
        'Send `Authorization: Bearer <TALLY_ADMIN_TOKEN>`.',
      );
    if (!sameSecret(token, adminToken))
      throw new AuthenticationError('admin_token_invalid', 'Invalid admin token.');
    return true;
  }
}
