import { SetMetadata } from '@nestjs/common';
import type { Job, WorkerOptions } from 'bullmq';
import type { AppConfig } from '../config/config.js';
import type { JobName, JobPayloads, QueueName } from './jobs.js';

/** What a handler gets besides its payload. */
export interface JobContext {
  job: Job;
  /** The worker's lock token (for `job.moveToDelayed`). */
  token: string | undefined;
  /** Aborted when the process shuts down: long passes stop between batches. */
  signal: AbortSignal;
}

/** A value fixed in the processor, or read from the process's configuration when the worker starts. */
export type FromConfig<T> = T | ((config: AppConfig) => T);

/**
 * Periodic work: a BullMQ job scheduler `scheduler` adding the job (empty payload) every `every` ms. With
 * `alsoAtStartup`, a started worker also runs it at once (a backfill of what an older version left is done now,
 * not a period later). Redis keeps schedulers by id: never rename one.
 */
export interface JobSchedule {
  scheduler: string;
  every: FromConfig<number>;
  alsoAtStartup?: boolean;
}

/** The worker options a queue may set (the rest, connection and prefix, are the process's). */
export type ConsumerOptions = Pick<
  WorkerOptions,
  'concurrency' | 'limiter' | 'lockDuration' | 'stalledInterval' | 'maxStalledCount'
>;

export const JOB_HANDLER = Symbol('job handler');
export const QUEUE_WORKER = Symbol('queue worker');

export interface JobHandlerMetadata {
  name: JobName;
  schedule: JobSchedule | undefined;
}

export interface QueueWorkerMetadata {
  queue: QueueName;
  options: FromConfig<ConsumerOptions>;
}

type JobHandlerMethod<N extends JobName> = (payload: JobPayloads[N], context: JobContext) => Promise<unknown>;

/**
 * Marks a processor's method as the one handler of job `name` (its first parameter is the job's payload, its
 * second the `JobContext`); `schedule` makes it periodic. `JobConsumers` finds it at module init.
 */
export function JobHandler<N extends JobName>(name: N, schedule?: JobSchedule) {
  const metadata: JobHandlerMetadata = { name, schedule };
  return <M extends JobHandlerMethod<N>>(
    target: object,
    method: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    SetMetadata(JOB_HANDLER, metadata)(target, method, descriptor);
  };
}

/** The worker options of `queue`, declared by one processor of that queue. */
export function QueueWorker(queue: QueueName, options: FromConfig<ConsumerOptions>): ClassDecorator {
  const metadata: QueueWorkerMetadata = { queue, options };
  return SetMetadata(QUEUE_WORKER, metadata);
}
