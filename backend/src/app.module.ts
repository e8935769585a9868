import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { GlobalAuthGuard } from './common/auth/auth.guard.js';
import { JwtStrategy } from './common/auth/jwt.strategy.js';
import { ClockModule } from './common/clock.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { loggerParams } from './common/logging.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/config.js';
import { dataSourceOptions } from './database/data-source.js';
import { FEATURE_MODULES, WORKER_MODULE_QUEUES, WORKER_MODULES } from './features.js';
import { QueueModule } from './queue/queue.module.js';

export type ProcessRole = 'api' | 'worker';

function coreImports(config: AppConfig, role: ProcessRole) {
  return [
    ConfigModule.forRoot(config),
    ClockModule,
    LoggerModule.forRoot(loggerParams(config)),
    TypeOrmModule.forRoot({
      ...dataSourceOptions({
        url: config.databaseUrl,
        poolSize: role === 'api' ? 20 : 10,
        applicationName: `lien-${role}`,
      }),
    }),
    QueueModule,
  ];
}

/** The HTTP process: every feature's controllers and services, no queue consumers. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [...coreImports(config, 'api'), PassportModule, ...FEATURE_MODULES],
      providers: [
        JwtStrategy,
        { provide: APP_GUARD, useClass: GlobalAuthGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}

/**
 * The worker process: the same services, plus the queue processors and periodic jobs of the queues WORKER_QUEUES
 * lists (all by default). No HTTP.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    const consumed = WORKER_MODULES.filter((module) => {
      const queue = WORKER_MODULE_QUEUES.get(module);
      return queue === undefined || config.workerQueues.has(queue);
    });
    return {
      module: WorkerModule,
      imports: [...coreImports(config, 'worker'), ...FEATURE_MODULES, ...consumed],
    };
  }
}
