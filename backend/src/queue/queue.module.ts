import { BullModule, getQueueToken } from '@nestjs/bullmq';
import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { QUEUES } from './jobs.js';
import { bullConnection, createRedis, type RedisPurpose } from './redis.js';

export const REDIS = Symbol('REDIS');

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

@Module({ providers: [BullConnections], exports: [BullConnections] })
class BullConnectionsModule {}

const queues = Object.values(QUEUES).map((name) => ({ name }));

/** BullMQ on the shared connection settings, plus one fail-fast command client for health, throttling and pub/sub. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      imports: [BullConnectionsModule],
      inject: [APP_CONFIG, BullConnections],
      useFactory: (config: AppConfig, connections: BullConnections) => ({
        connection: connections.connection('worker'),
        prefix: config.queuePrefix,
        defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
      }),
    }),
    BullModule.registerQueue(...queues),
    BullConnectionsModule,
  ],
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Redis => createRedis(config.redis, 'command'),
    },
  ],
  exports: [BullModule, REDIS, BullConnectionsModule],
})
export class QueueModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Queues');

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Redis outages surface as one warning a minute, not a stack per retry; Postgres keeps the truth meanwhile. */
  onModuleInit(): void {
    const warn = redisOutageWarning(this.logger);
    this.redis.on('error', warn);
    for (const { name } of queues)
      this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }).on('error', warn);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
