import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { insertOnce } from '../database/insert-once.js';
import { PortalSessionEntity } from './portal-session.entity.js';

const IDEMPOTENCY_KEY = 'portal_sessions_idempotency_key';

export type NewPortalSession = PortalSessionEntity;

/** The only code that touches `portal_sessions`. */
@Injectable()
export class PortalSessionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get sessions() {
    return this.db.getRepository(PortalSessionEntity);
  }

  /** Inserts the session, or answers the one its idempotency key made (see insertOnce). */
  insert(session: NewPortalSession): Promise<{ row: PortalSessionEntity; created: boolean }> {
    return insertOnce(this.sessions, session, IDEMPOTENCY_KEY);
  }

  /** The session whose token hashes to `tokenHash`, whichever merchant's (tokens are unique). */
  findByTokenHash(tokenHash: string): Promise<PortalSessionEntity | null> {
    return this.sessions.findOneBy({ tokenHash });
  }

  find(merchantId: string, id: string): Promise<PortalSessionEntity | null> {
    return this.sessions.findOneBy({ merchantId, id });
  }

  /** Gives the session a new token (a retried create answers a URL that works; the earlier one stops). */
  async replaceToken(merchantId: string, id: string, tokenHash: string): Promise<void> {
    await this.sessions.update({ merchantId, id }, { tokenHash });
  }
}
