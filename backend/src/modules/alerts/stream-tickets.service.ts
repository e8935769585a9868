import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { roleHasPermission, type AlertStreamTicketResponse } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { SessionCheck } from '../users/session-check.js';
import { Clock } from '../../common/clock.js';
import { hashToken, randomToken } from '../../common/crypto/field-encryption.service.js';
import { DomainError } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { REDIS } from '../../queue/queue.module.js';

/** How long a stream ticket may wait before it is used (the console asks for one right before connecting). */
export const STREAM_TICKET_TTL_SECONDS = 30;

interface StoredTicket {
  userId: string;
  sessionId: string;
  /** Epoch ms: checked against the clock as well as left to Redis' expiry. */
  expiresAt: number;
}

const invalidTicket = (): DomainError =>
  new DomainError('unauthorised', 'invalid_stream_ticket', 'Invalid or expired stream ticket');

/**
 * Single-use tickets for the live alert stream. EventSource cannot send an Authorization header, and an access
 * token in the URL would outlive its request in logs; a ticket is random (256 bits), stored only hashed, bound to
 * the user and session (refresh family) that asked for it, valid 30 s and consumed atomically by its first use.
 */
@Injectable()
export class StreamTicketsService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionCheck,
    private readonly clock: Clock,
  ) {}

  async issue(user: AuthUser): Promise<AlertStreamTicketResponse> {
    if (!user.sessionId) throw invalidTicket();
    const ticket = randomToken(32);
    const stored: StoredTicket = {
      userId: user.id,
      sessionId: user.sessionId,
      expiresAt: this.clock.now().getTime() + STREAM_TICKET_TTL_SECONDS * 1000,
    };
    await this.redis.set(this.key(ticket), JSON.stringify(stored), 'EX', STREAM_TICKET_TTL_SECONDS);
    return { ticket, expiresIn: STREAM_TICKET_TTL_SECONDS };
  }

  /**
   * Consumes a ticket (GETDEL: a second use, here or in another process, finds nothing) and answers the user of
   * its session if that session is still valid and may read alerts in an organisation; 401 otherwise.
   */
  async consume(ticket: unknown): Promise<AuthUser & { sessionId: string; organisationId: string }> {
    // 32 random bytes in base64url are 43 characters: anything else was never issued.
    if (typeof ticket !== 'string' || !/^[\w-]{43}$/.test(ticket)) throw invalidTicket();
    const text = await this.redis.getdel(this.key(ticket));
    if (!text) throw invalidTicket();
    const stored = JSON.parse(text) as StoredTicket;
    if (stored.expiresAt <= this.clock.now().getTime()) throw invalidTicket();
    const user = await this.sessions.signedInUser(stored.userId, stored.sessionId);
    if (!user) throw invalidTicket();
    if (!roleHasPermission(user.role, 'alerts.read') || !user.organisationId) {
      throw new DomainError('forbidden', 'missing_permission', 'Forbidden');
    }
    return { ...user, sessionId: stored.sessionId, organisationId: user.organisationId };
  }

  private key(ticket: string): string {
    return `${this.config.queuePrefix}:stream-ticket:${hashToken(ticket)}`;
  }
}
