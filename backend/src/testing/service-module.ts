import type { DynamicModule, Type } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../common/clock.js';
import { ConfigModule } from '../config/config.module.js';
import { dataSourceOptions } from '../database/data-source.js';
import { compileWithClock, type TestEnvironment } from './test-app.js';

/**
 * `modules` on the spec's configuration, clock and database (a pool of `poolSize` named `applicationName`),
 * compiled but not started: their scheduled jobs stay off and the spec calls their services itself.
 */
export function compileServiceModule(
  environment: TestEnvironment,
  { applicationName, poolSize }: { applicationName: string; poolSize: number },
  modules: Array<Type | DynamicModule>,
): Promise<TestingModule> {
  return compileWithClock(environment, [
    ConfigModule.forRoot(environment.config),
    ClockModule,
    TypeOrmModule.forRoot(dataSourceOptions({ url: environment.databaseUrl, poolSize, applicationName })),
    ...modules,
  ]);
}
