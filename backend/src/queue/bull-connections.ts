import { Inject, Injectable, type Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { bullConnection, type RedisPurpose } from './redis.js';

/**
 * BullMQ connections of this process from the one factory (redis.ts). A Cluster connection is an open client
 * that BullMQ shares and does not close: this closes it at shutdown.
 */
@Injectable()
export class BullConnections implements OnApplicationShutdown {
  private readonly closers: (() => void)[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  connection(purpose: RedisPurpose = 'worker'): ReturnType<typeof bullConnection>['connection'] {
    const { connection, close } = bullConnection(this.config.redis, purpose);
    this.closers.push(close);
    return connection;
  }

  onApplicationShutdown(): void {
    for (const close of this.closers.splice(0)) close();
  }
}

/**
 * An `error` listener for Redis clients, queues and workers: one warning a minute, not a stack per retry (a
 * BullMQ worker without one prints every reconnection attempt to stderr). Postgres keeps the truth meanwhile.
 */
export function redisOutageWarning(logger: Logger): (error: Error) => void {
  let lastWarning = 0;
  return (error: Error): void => {
    const now = Date.now();
    if (now - lastWarning < 60_000) return;
    lastWarning = now;
    logger.warn(`Redis unavailable (${error.message}); queued work waits in PostgreSQL`);
  };
}
