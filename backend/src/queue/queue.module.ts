import { BullModule } from '@nestjs/bullmq';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
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
export class QueueModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
