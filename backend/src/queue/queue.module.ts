import { BullModule, getQueueToken } from '@nestjs/bullmq';
import {
  Global,
  Inject,
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
import { createRedis, redisOptions } from './redis.js';

export const REDIS = Symbol('REDIS');

const queues = Object.values(QUEUES).map((name) => ({ name }));

/** BullMQ on the shared connection settings, plus one fail-fast command client for health, throttling and pub/sub. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // Spread: BullMQ's option type wants an index signature that ioredis' interface lacks.
        connection: { ...redisOptions(config.redisUrl, 'worker') },
        prefix: config.queuePrefix,
        defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
      }),
    }),
    BullModule.registerQueue(...queues),
  ],
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Redis => createRedis(config.redisUrl, 'command'),
    },
  ],
  exports: [BullModule, REDIS],
})
export class QueueModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Queues');
  private lastWarning = 0;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Redis outages surface as one warning a minute, not a stack per retry; Postgres keeps the truth meanwhile. */
  onModuleInit(): void {
    const warn = (error: Error): void => {
      const now = Date.now();
      if (now - this.lastWarning < 60_000) return;
      this.lastWarning = now;
      this.logger.warn(`Redis unavailable (${error.message}); queued work waits in PostgreSQL`);
    };
    this.redis.on('error', warn);
    for (const { name } of queues)
      this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }).on('error', warn);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
