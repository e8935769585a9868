import { BullModule, getQueueToken } from '@nestjs/bullmq';
import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryModule, ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { QUEUES } from './jobs.js';
import { BullConnections, redisOutageWarning } from './bull-connections.js';
import { JobConsumers } from './job-consumers.js';
import { createRedis } from './redis.js';

export const REDIS = Symbol('REDIS');

export { BullConnections, redisOutageWarning };

// JobConsumers first: at shutdown its workers close before the connections they share. Discovery: it finds the
// processors' @JobHandler methods.
@Module({
  imports: [DiscoveryModule],
  providers: [JobConsumers, BullConnections],
  exports: [JobConsumers, BullConnections],
})
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
