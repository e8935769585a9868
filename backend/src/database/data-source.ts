import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';
import { ENTITIES } from './entities.js';
import { SnakeNamingStrategy } from './naming-strategy.js';
import { NAMED_STATEMENTS_OPTION } from '../common/prepared-statement.js';

export interface DatabaseOptions {
  url: string;
  /** Pool size: the API serves many short queries, the worker fewer. */
  poolSize?: number;
  applicationName?: string;
  /** PostgreSQL `statement_timeout` of every pool connection (ms); 0 or unset = the server's default. */
  statementTimeoutMs?: number;
  /** False: PreparedStatement runs unnamed (PgBouncer < 1.21 in transaction mode cannot keep named ones). */
  preparedStatements?: boolean;
}

export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    // gen_random_uuid() is built into PostgreSQL 13+: no extension needed.
    uuidExtension: 'pgcrypto',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    // The schema changes only through reviewed migrations.
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'lien',
      connectionTimeoutMillis: 5_000,
      // Sent in the connection's start-up packet: every statement on it is bounded (RESET returns to it).
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      // Read by PreparedStatement (pg ignores keys it does not know).
      [NAMED_STATEMENTS_OPTION]: options.preparedStatements ?? true,
    },
  };
}

export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource(dataSourceOptions(options));
}
