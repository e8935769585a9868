import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { REDIS } from '../../queue/queue.module.js';

/** The channel on which sessions ending are announced to every API process. */
export function sessionsEndedChannel(queuePrefix: string): string {
  return `${queuePrefix}:sessions:ended`;
}

/** What is published: whose sessions changed. Receivers re-check that user's open streams against the database. */
export interface SessionsEndedMessage {
  userId: string;
}

/**
 * Announces, after the revocation is committed, that some sessions of a user ended (logout, deactivation,
 * password set or changed, refresh-token reuse): every API process then re-checks that user's open alert streams
 * and closes those whose session is no longer valid. A lost message is caught by the streams' periodic check.
 */
@Injectable()
export class SessionEvents {
  private readonly logger = new Logger(SessionEvents.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ended(userId: string): Promise<void> {
    const message: SessionsEndedMessage = { userId };
    try {
      await this.redis.publish(sessionsEndedChannel(this.config.queuePrefix), JSON.stringify(message));
    } catch (error) {
      // The revocation itself is committed: a stream left open ends at its next periodic check.
      this.logger.warn(`sessions ended: publish failed: ${(error as Error).message}`);
    }
  }
}
