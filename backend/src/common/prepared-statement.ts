import { EntityManager, type DataSource } from 'typeorm';

/** Key in the DataSource's `extra` options: false turns prepared statements into unnamed queries. */
export const NAMED_STATEMENTS_OPTION = 'lienNamedStatements';

/**
 * A hot statement run as a named prepared statement: Postgres parses it once per connection and reuses its plan,
 * where a plain query is parsed and planned on every call (about a millisecond for a four-table join on this
 * hardware). Only for fixed SQL text with explicit column lists (a cached plan must keep its result shape).
 */
export class PreparedStatement {
  constructor(
    /** Unique per SQL text in the process: Postgres keys the prepared statement by it on each connection. */
    readonly name: string,
    readonly text: string,
  ) {}

  /**
   * Runs on the transaction's connection when `executor` is a transaction's manager, else on a pooled one.
   * Errors keep Postgres' fields (code, table, constraint) as the driver reports them.
   */
  async run<Row>(
    executor: DataSource | EntityManager,
    values: readonly unknown[],
  ): Promise<PreparedResult<Row>> {
    const manager = executor instanceof EntityManager ? executor : executor.manager;
    // Disabled by config (PgBouncer in transaction mode without prepared statement support): unnamed, parsed
    // on every call, valid on whichever server connection the pooler picks.
    const config = namedStatements(manager.connection)
      ? { name: this.name, text: this.text, values: [...values] }
      : { text: this.text, values: [...values] };
    const client = manager.queryRunner
      ? ((await manager.queryRunner.connect()) as PgQueryable)
      : (manager.dataSource.driver as unknown as { master: PgQueryable }).master;
    const result = await client.query(config);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  }
}

function namedStatements(dataSource: DataSource): boolean {
  const extra = (dataSource.options as { extra?: Record<string, unknown> }).extra;
  return extra?.[NAMED_STATEMENTS_OPTION] !== false;
}

export interface PreparedResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** What pg's Client and Pool have in common, as far as this file uses them. */
interface PgQueryable {
  query(config: {
    name?: string;
    text: string;
    values: unknown[];
  }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}
