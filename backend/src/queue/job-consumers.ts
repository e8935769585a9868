import { getQueueToken } from '@nestjs/bullmq';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef, Reflector } from '@nestjs/core';
import { Worker, type Job, type Queue } from 'bullmq';
import { withRequestId } from '../common/request-context.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { JOB_QUEUE, type JobName, type JobPayloads, type QueueName } from './jobs.js';
import { BullConnections, redisOutageWarning } from './bull-connections.js';
import {
  JOB_HANDLER,
  QUEUE_WORKER,
  type ConsumerOptions,
  type JobContext,
  type JobHandlerMetadata,
  type QueueWorkerMetadata,
} from './job-handler.decorator.js';

type Handler = (payload: JobPayloads[JobName], context: JobContext) => Promise<unknown>;

/**
 * The one way to consume a queue. Each feature's queue work lives in one `<feature>.processor.ts` (provided by
 * the feature's `*-worker.module.ts`) whose methods are marked `@JobHandler(name)` (typed by `JobPayloads`,
 * delegating to the feature's services), periodic ones with their scheduler id and period
 * (`@JobHandler(name, { scheduler, every, alsoAtStartup })`, named constants beside them), and whose class may
 * carry its queue's worker options (`@QueueWorker(queue, options)`); eslint.config.js lets no other file import
 * those decorators (job-handler.decorator.ts). At module init this finds them among the providers of the modules
 * this process loaded (WORKER_QUEUES decides which); at application bootstrap it starts one BullMQ worker per
 * queue that has handlers and upserts the schedulers (one job per period whatever the number of workers). A job
 * a request caused runs under its request id. A job name without a handler fails (and is retried): a queue has
 * one consumer, a job one handler (a second one stops start-up).
 */
@Injectable()
export class JobConsumers implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<JobName, Handler>();
  private readonly schedules: Array<{ id: string; name: JobName; every: number; alsoAtStartup: boolean }> =
    [];
  private readonly options = new Map<QueueName, ConsumerOptions>();
  private readonly running = new Map<JobName, Promise<unknown>>();
  private readonly workers: Worker[] = [];
  private readonly stopping = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly connections: BullConnections,
    private readonly moduleRef: ModuleRef,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** Collects the `@JobHandler` methods and `@QueueWorker` options of the providers this process loaded. */
  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      // Request-scoped providers have no instance to call from a worker.
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const worker = this.reflector.get<QueueWorkerMetadata | undefined>(QUEUE_WORKER, instance.constructor);
      if (worker) this.configure(worker);
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown> | null;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype?.[method];
        if (typeof handler !== 'function') continue;
        const metadata = this.reflector.get<JobHandlerMetadata | undefined>(JOB_HANDLER, handler);
        if (metadata) this.register(metadata, (handler as Handler).bind(instance));
      }
    }
  }

  /**
   * Runs the handler of a payload-less (scheduled) job now, in this process, or joins the run under way (a
   * scheduled job and a direct call never overlap here; advisory locks keep them single-runner across workers).
   */
  runNow(name: JobName): Promise<unknown> {
    const handler = this.handlers.get(name);
    if (!handler) return Promise.reject(new Error(`Job ${name} has no handler in this process`));
    let run = this.running.get(name);
    if (!run) {
      run = handler(
        {},
        {
          job: { name, id: 'direct', data: {} } as Job,
          token: undefined,
          signal: this.stopping.signal,
        },
      ).finally(() => this.running.delete(name));
      this.running.set(name, run);
    }
    return run;
  }

  /** The workers this process started (readiness checks them). */
  runningWorkers(): readonly Worker[] {
    return this.workers;
  }

  async onApplicationBootstrap(): Promise<void> {
    const queues = new Set([...this.handlers.keys()].map((name) => JOB_QUEUE[name]));
    for (const queue of queues) this.workers.push(this.start(queue));
    for (const { name } of this.schedules.filter((schedule) => schedule.alsoAtStartup)) {
      this.runNow(name).catch((error: unknown) =>
        this.logger.warn(`Start-up run of ${name} failed: ${(error as Error).message}`),
      );
    }
    for (const { id, name, every } of this.schedules) {
      try {
        await this.queue(JOB_QUEUE[name]).upsertJobScheduler(
          id,
          { every },
          { name, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
        );
      } catch (error) {
        this.logger.warn(`Could not schedule ${id} (Redis?): ${(error as Error).message}`);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.workers.splice(0).map((worker) => worker.close()));
    // Direct runs (start-up passes, tests) stop at their signal; wait for them like for the workers' jobs.
    await Promise.allSettled([...this.running.values()]);
  }

  private register({ name, schedule }: JobHandlerMetadata, handler: Handler): void {
    if (this.handlers.has(name)) throw new Error(`Job ${name} already has a handler`);
    this.handlers.set(name, handler);
    if (!schedule) return;
    const { scheduler, every, alsoAtStartup = false } = schedule;
    const period = typeof every === 'function' ? every(this.config) : every;
    this.schedules.push({ id: scheduler, name, every: period, alsoAtStartup });
  }

  private configure({ queue, options }: QueueWorkerMetadata): void {
    if (this.options.has(queue)) throw new Error(`Queue ${queue} already has worker options`);
    this.options.set(queue, typeof options === 'function' ? options(this.config) : options);
  }

  private start(queue: QueueName): Worker {
    const worker = new Worker(queue, (job: Job, token?: string) => this.process(job, token), {
      connection: this.connections.connection('worker'),
      prefix: this.config.queuePrefix,
      ...this.options.get(queue),
    });
    // Connection errors (Redis away, failover under way): one warning a minute; BullMQ reconnects by itself.
    worker.on('error', redisOutageWarning(this.logger));
    worker.on('failed', (job, error) =>
      this.logger.warn(
        `${queue} job ${job?.name ?? '?'} ${job?.id ?? '?'} failed: ${error.name}: ${error.message}`,
      ),
    );
    return worker;
  }

  private process(job: Job, token: string | undefined): Promise<unknown> {
    const name = job.name as JobName;
    const handler = this.handlers.get(name);
    if (!handler || JOB_QUEUE[name] !== job.queueName) throw new Error(`No handler for job ${job.name}`);
    const data = job.data as JobPayloads[JobName];
    // Scheduled jobs go through runNow: one pass at a time in this process.
    if (Object.keys(data).length === 0 && this.schedules.some((schedule) => schedule.name === name))
      return this.runNow(name);
    const requestId = (data as { requestId?: string }).requestId;
    // A job a request caused runs under its request id: every line it logs names it.
    return withRequestId(requestId, () => {
      if (requestId) this.logger.log(`${job.name} job ${job.id ?? '?'}`);
      return handler(data, { job, token, signal: this.stopping.signal });
    });
  }

  private queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }
}
