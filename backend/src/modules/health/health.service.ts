import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../../queue/queue.module.js';
import type { DependencyState, HealthReport, ReadinessReport } from '@lien/shared';
import { Metrics, type ReadinessReport as ReadinessGauges } from '../metrics/metrics.service.js';

/** A readiness report as the `lien_ready` gauges: true for each component that is fine. */
export function readinessGauges(report: ReadinessReport): ReadinessGauges {
  return {
    postgres: report.postgres === 'up',
    redis: report.redis === 'up',
    migrations: report.migrations === 'applied',
    ...(report.queues === undefined ? {} : { queues: report.queues === 'consuming' }),
  };
}

const TIMEOUT_MS = 1_500;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref()),
  ]);
}

@Injectable()
export class HealthService implements OnModuleInit {
  /** Applied migrations are never un-applied by a running process: once seen, not asked again. */
  private migrationsApplied = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.metrics.setReadinessProbe(async () => readinessGauges(await this.ready()));
  }

  async check(): Promise<HealthReport> {
    const [postgres, redis] = await Promise.all([this.postgres(), this.redisState()]);
    return { status: postgres === 'up' && redis === 'up' ? 'ok' : 'degraded', postgres, redis };
  }

  /** Ready to serve: Postgres and Redis answer and the schema is the code's (plus `extra`, the worker's queues). */
  async ready(queues?: () => Promise<boolean>): Promise<ReadinessReport> {
    const [postgres, redis, migrations, consuming] = await Promise.all([
      this.postgres(),
      this.redisState(),
      this.migrations(),
      queues ? queues().catch(() => false) : Promise.resolve(undefined),
    ]);
    const report: ReadinessReport = {
      status: 'not_ready',
      postgres,
      redis,
      migrations,
      ...(consuming === undefined ? {} : { queues: consuming ? 'consuming' : 'stopped' }),
    };
    if (postgres === 'up' && redis === 'up' && migrations === 'applied' && report.queues !== 'stopped')
      report.status = 'ready';
    return report;
  }

  private postgres(): Promise<DependencyState> {
    return withTimeout(this.dataSource.query('SELECT 1')).then(
      () => 'up' as const,
      () => 'down' as const,
    );
  }

  private redisState(): Promise<DependencyState> {
    return withTimeout(this.redis.ping()).then(
      (answer) => (answer === 'PONG' ? ('up' as const) : ('down' as const)),
      () => 'down' as const,
    );
  }

  private async migrations(): Promise<ReadinessReport['migrations']> {
    if (this.migrationsApplied) return 'applied';
    try {
      const pending = await withTimeout(this.dataSource.showMigrations());
      this.migrationsApplied = !pending;
      return pending ? 'pending' : 'applied';
    } catch {
      return 'unknown';
    }
  }
}
