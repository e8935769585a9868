import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { GlobalAuthGuard } from './common/auth/auth.guard.js';
import { ClockModule } from './common/clock.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { loggerParams } from './common/logging.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/config.js';
import { dataSourceOptions } from './database/data-source.js';
import { ReadReplicaModule } from './database/read-replica.js';
import { JwtStrategy } from './modules/auth/jwt.strategy.js';
import { FHIR_ERROR_FORMAT } from './modules/fhir/mappers/operation-outcome.js';
import { DEV_MODULES, FEATURE_MODULES, WORKER_MODULE_QUEUES, WORKER_MODULES } from './features.js';
import { QueueModule } from './queue/queue.module.js';

export type ProcessRole = 'api' | 'worker';

/**
 * Process-level options that are not configuration: tests read the log lines through `logDestination`
 * (nestjs-pino keeps one root logger per process, built from the first module created).
 */
export interface ProcessOptions {
  logDestination?: DestinationStream;
}

function coreImports(config: AppConfig, role: ProcessRole, options: ProcessOptions) {
  return [
    ConfigModule.forRoot(config),
    ClockModule,
    LoggerModule.forRoot(loggerParams(config, options.logDestination)),
    TypeOrmModule.forRoot({
      ...dataSourceOptions({
        url: config.databaseUrl,
        poolSize: config.postgres.poolSize ?? (role === 'api' ? 20 : 10),
        applicationName: `lien-${role}`,
        statementTimeoutMs:
          role === 'api' ? config.databaseStatementTimeoutMs : config.workerStatementTimeoutMs,
        preparedStatements: config.postgres.preparedStatements,
      }),
    }),
    ReadReplicaModule,
    QueueModule,
  ];
}

/** The HTTP process: every feature's controllers and services, no queue consumers. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, options: ProcessOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ...coreImports(config, 'api', options),
        PassportModule,
        ...FEATURE_MODULES,
        // Module-level: in production the built-in outboxes' routes do not exist at all.
        ...(config.nodeEnv === 'production' ? [] : DEV_MODULES),
      ],
      providers: [
        JwtStrategy,
        { provide: APP_GUARD, useClass: GlobalAuthGuard },
        { provide: APP_FILTER, useValue: new HttpExceptionFilter([FHIR_ERROR_FORMAT]) },
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
  static forRoot(config: AppConfig, options: ProcessOptions = {}): DynamicModule {
    const consumed = WORKER_MODULES.filter((module) => {
      const queue = WORKER_MODULE_QUEUES.get(module);
      return queue === undefined || config.workerQueues.has(queue);
    });
    return {
      module: WorkerModule,
      imports: [...coreImports(config, 'worker', options), ...FEATURE_MODULES, ...consumed],
    };
  }
}
