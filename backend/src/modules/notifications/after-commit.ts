import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, type EntitySubscriberInterface, type QueryRunner } from 'typeorm';
import type { TransactionCommitEvent } from 'typeorm/subscriber/event/TransactionCommitEvent.js';
import type { TransactionRollbackEvent } from 'typeorm/subscriber/event/TransactionRollbackEvent.js';

const CALLBACKS = 'lien:afterCommit';
type Callback = () => unknown;

function callbacksOf(queryRunner: QueryRunner): Callback[] | undefined {
  return queryRunner.data[CALLBACKS] as Callback[] | undefined;
}

/**
 * Runs `work` once the transaction of `manager` has committed (never if it rolls back); at once when there is no
 * transaction (the returned promise then settles once it ran). Used for side effects that must not see uncommitted
 * rows: queue jobs, pub/sub, emails.
 * Failures are logged and swallowed: every such side effect has a reconciler behind it.
 */
export function afterCommit(manager: EntityManager | undefined, work: Callback): Promise<void> {
  const queryRunner = manager?.queryRunner;
  if (queryRunner && queryRunner.isTransactionActive) {
    const list = callbacksOf(queryRunner) ?? [];
    list.push(work);
    queryRunner.data[CALLBACKS] = list;
    return Promise.resolve();
  }
  return runBriefly([work]);
}

const logger = new Logger('AfterCommit');
const SIDE_EFFECT_WAIT_MS = 2_000;

/**
 * Awaited (so a request that returns has queued its jobs), but never longer than a moment: the data is committed and
 * the reconcilers catch anything this misses while Redis is away.
 */
function runBriefly(callbacks: Callback[]): Promise<void> {
  return Promise.race([
    runSafely(callbacks),
    new Promise<void>((resolve) => setTimeout(resolve, SIDE_EFFECT_WAIT_MS).unref()),
  ]);
}

async function runSafely(callbacks: Callback[]): Promise<void> {
  for (const callback of callbacks) {
    try {
      await callback();
    } catch (error) {
      logger.warn(`after-commit side effect failed (a reconciler will retry): ${(error as Error).message}`);
    }
  }
}

/** Registers itself on the DataSource: runs the callbacks of the outermost transaction after COMMIT. */
@Injectable()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  constructor(dataSource: DataSource) {
    if (!dataSource.subscribers.some((subscriber) => subscriber instanceof AfterCommitSubscriber)) {
      dataSource.subscribers.push(this);
    }
  }

  afterTransactionCommit(event: TransactionCommitEvent): Promise<void> | void {
    const queryRunner = event.queryRunner;
    if (queryRunner.isTransactionActive) return; // a savepoint was released; the outer transaction goes on
    const callbacks = callbacksOf(queryRunner);
    if (!callbacks?.length) return;
    delete queryRunner.data[CALLBACKS];
    return runBriefly(callbacks);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) delete event.queryRunner.data[CALLBACKS];
  }
}
