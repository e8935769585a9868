import { Global, Inject, Injectable, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { createDataSource } from './data-source.js';

/** A replica's lag is measured at most this often (each reader would otherwise pay a round trip). */
export const REPLICA_CHECK_INTERVAL_MS = 2_000;

/**
 * Replay lag in seconds as seen on the replica. Caught up (everything received is replayed) counts as no lag,
 * even when nothing was ever replayed (pg_last_xact_replay_timestamp() is null on a fresh replica) or the
 * last replayed commit is old (a quiet primary writes nothing). A server not in recovery is a primary: 0.
 */
const LAG_SQL = `
  SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 'Infinity'::float8)
  END::float8 AS lag`;

interface ReplicaState {
  usable: boolean;
  checkedAt: number;
}

/**
 * The door to a streaming replica for read-only work that tolerates a bounded staleness (reports, CSV
 * exports, audit reads). Without DATABASE_REPLICA_URL, or while the replica lags more than
 * DATABASE_REPLICA_MAX_LAG_SECONDS or cannot be reached, readers get the primary: a report is never refused
 * because of the replica. Writes never come here.
 */
@Injectable()
export class ReadReplica implements OnModuleDestroy {
  private readonly logger = new Logger(ReadReplica.name);
  private replica: DataSource | null = null;
  private state: ReplicaState = { usable: false, checkedAt: -Infinity };
  private checking: Promise<boolean> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly primary: DataSource,
  ) {}

  /**
   * Runs `work` on the replica when it is usable, else on the primary. A replica failing during the work
   * (stopped, connection lost) is marked unusable and the work runs again on the primary; read-only work
   * may run twice.
   */
  async read<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
    const replica = await this.usableReplica();
    if (!replica) return work(this.primary);
    try {
      return await work(replica);
    } catch (error) {
      this.state = { usable: false, checkedAt: Date.now() };
      this.logger.warn(`Replica read failed, using the primary: ${(error as Error).message}`);
      return work(this.primary);
    }
  }

  /** The replica when configured, reachable and within the lag bound (checked at most every 2 s). */
  private async usableReplica(): Promise<DataSource | null> {
    if (!this.config.postgres.replicaUrl) return null;
    if (Date.now() - this.state.checkedAt >= REPLICA_CHECK_INTERVAL_MS) {
      this.checking ??= this.check().finally(() => (this.checking = null));
      await this.checking;
    }
    return this.state.usable ? this.replica : null;
  }

  private async check(): Promise<boolean> {
    let usable = false;
    try {
      const replica = await this.connect();
      const [row] = await replica.query<{ lag: number }[]>(LAG_SQL);
      const lag = Number(row?.lag);
      usable = lag <= this.config.postgres.replicaMaxLagSeconds;
      if (!usable && this.state.usable)
        this.logger.warn(`Replica lags ${Math.round(lag)} s: reads go to the primary`);
    } catch (error) {
      if (this.state.usable || this.state.checkedAt === -Infinity)
        this.logger.warn(`Replica unreachable, reads go to the primary: ${(error as Error).message}`);
    }
    this.state = { usable, checkedAt: Date.now() };
    return usable;
  }

  private async connect(): Promise<DataSource> {
    if (this.replica?.isInitialized) return this.replica;
    const replica = createDataSource({
      url: this.config.postgres.replicaUrl!,
      poolSize: this.config.postgres.replicaPoolSize,
      applicationName: 'lien-replica-reader',
      preparedStatements: this.config.postgres.preparedStatements,
      statementTimeoutMs: this.config.databaseStatementTimeoutMs,
    });
    await replica.initialize();
    this.replica = replica;
    return replica;
  }

  async onModuleDestroy(): Promise<void> {
    await this.checking?.catch(() => undefined);
    if (this.replica?.isInitialized) await this.replica.destroy();
  }
}

/** Makes ReadReplica injectable everywhere (one replica pool per process). */
@Global()
@Module({ providers: [ReadReplica], exports: [ReadReplica] })
export class ReadReplicaModule {}
