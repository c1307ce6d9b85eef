import { Injectable } from '@nestjs/common';
import { AuthenticationError, ValidationError } from '../common/errors/tally-error.js';
import { newId } from '../common/ids/ids.js';
import { requestFingerprint } from '../common/idempotency/idempotency-key.js';
import { TallyConfigService } from '../config/config.module.js';
import { PortalAuthenticator, type PortalCaller } from '../identity/auth.decorators.js';
import { PayersService } from '../payers/payers.service.js';
import {
  EXPIRES_IN,
  generatePortalToken,
  hashPortalToken,
  isPortalBearer,
  looksLikePortalToken,
  portalUrl,
  sessionState,
} from './domain/portal-token.js';
import type { CreatePortalSessionDto } from './dto/portal-session.dto.js';
import type { PortalSession } from './dto/portal-resource.dto.js';
import type { PortalSessionEntity } from './portal-session.entity.js';
import { PortalSessionsRepository } from './portal-sessions.repository.js';

const INVALID = 'Invalid portal session token. Open the portal again from the link you were given.';

/** Creating portal sessions, and resolving a portal token to its session (the guard asks). */
@Injectable()
export class PortalSessionsService extends PortalAuthenticator {
  constructor(
    private readonly repository: PortalSessionsRepository,
    private readonly payers: PayersService,
    private readonly config: TallyConfigService,
  ) {
    super();
  }

  /**
   * A new session and its URL. A retry with the same Idempotency-Key and body answers the same
   * session with a new token (Tally keeps no token to show again); the earlier URL stops working.
   */
  async create(
    merchantId: string,
    input: CreatePortalSessionDto,
    idempotencyKey: string | null,
    now = new Date(),
  ): Promise<PortalSession> {
    const payer = await this.payers.requirePayer(merchantId, input, { missing: 'invalid' });
    if (input.return_url !== undefined && !URL.canParse(input.return_url)) {
      throw new ValidationError('url_invalid', 'return_url must be an absolute http(s) URL.', 'return_url');
    }
    const token = generatePortalToken();
    const expiresIn = input.expires_in ?? EXPIRES_IN.default;
    const { row, created } = await this.repository.insert({
      merchantId,
      id: newId('portalSession'),
      customerId: payer.kind === 'customer' ? payer.id : null,
      accountId: payer.kind === 'account' ? payer.id : null,
      tokenHash: hashPortalToken(token),
      returnUrl: input.return_url ?? null,
      idempotencyKey,
      requestHash: idempotencyKey === null ? null : requestFingerprint(input),
      createdAt: now,
      expiresAt: new Date(now.getTime() + expiresIn * 1000),
    });
    if (!created) await this.repository.replaceToken(merchantId, row.id, hashPortalToken(token));
    return this.present(row, token);
  }

  /** The session a bearer token opens, or a 401: unknown or malformed (`invalid`), past its expiry (`expired`). */
  async authenticate(token: string | undefined, now = new Date()): Promise<PortalCaller> {
    if (!token || !isPortalBearer(token) || !looksLikePortalToken(token)) {
      throw new AuthenticationError('portal_session_invalid', INVALID);
    }
    const session = await this.repository.findByTokenHash(hashPortalToken(token));
    if (!session) throw new AuthenticationError('portal_session_invalid', INVALID);
    if (sessionState(session, now) === 'expired') {
      throw new AuthenticationError(
        'portal_session_expired',
        'This portal session has expired. Open the portal again from your account.',
      );
    }
    return {
      merchantId: session.merchantId,
      sessionId: session.id,
      payer: session.customerId
        ? { kind: 'customer', id: session.customerId }
        : { kind: 'account', id: session.accountId! },
    };
  }

  /** The session row behind an authenticated portal request. */
  async session(caller: PortalCaller): Promise<PortalSessionEntity> {
    const session = await this.repository.find(caller.merchantId, caller.sessionId);
    if (!session) throw new AuthenticationError('portal_session_invalid', INVALID);
    return session;
  }

  private present(row: PortalSessionEntity, token: string): PortalSession {
    return {
      id: row.id,
      object: 'portal_session',
      customer: row.customerId,
      account: row.accountId,
      url: portalUrl(this.config.values.publicUrl, token),
      return_url: row.returnUrl,
      expires_at: row.expiresAt.toISOString(),
      created: row.createdAt.toISOString(),
    };
  }
}
