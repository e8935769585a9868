import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type LabelValues } from 'prom-client';
import { DataSource } from 'typeorm';
import { QUEUES } from '../../queue/jobs.js';

export type SmsOutcome = 'accepted' | 'delivered' | 'failed' | 'undelivered' | 'unknown';
export type ReadinessComponent = 'postgres' | 'redis' | 'migrations' | 'queues';
export type ReadinessReport = Partial<Record<ReadinessComponent, boolean>>;

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
/** A scrape must answer even with Redis away: queue figures older than this are dropped, not waited for. */
const QUEUE_TIMEOUT_MS = 1_000;

interface QueueSnapshot {
  counts: Record<string, Record<string, number>>;
  oldestWaitingAgeSeconds: Record<string, number>;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The process's Prometheus registry (one per process, injected; never prom-client's global one) and every
 * `lien_` series. Labels hold only bounded, non-personal values: route templates, enums, queue names.
 * Queue depths, pool figures and readiness are read at scrape time.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'lien_http_request_duration_seconds',
    help: 'HTTP requests by route template (never the raw URL), method and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly smsSent = new Counter({
    name: 'lien_sms_sent_total',
    help: 'SMS outcomes: accepted by the provider, then delivered, undelivered or failed; unknown = no answer.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly smsSendLateness = new Histogram({
    name: 'lien_sms_send_lateness_seconds',
    help: 'Time between an SMS being due and the provider accepting it.',
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 1800, 3600, 7200],
    registers: [this.registry],
  });

  readonly alertsOpened = new Counter({
    name: 'lien_alerts_opened_total',
    help: 'Alerts opened, by severity.',
    labelNames: ['severity'] as const,
    registers: [this.registry],
  });

  readonly alertDeadlinesMissed = new Counter({
    name: 'lien_alert_deadlines_missed_total',
    help: 'Alerts escalated because an acknowledge or contact deadline passed.',
    registers: [this.registry],
  });

  readonly questionnaireSubmissions = new Counter({
    name: 'lien_questionnaire_submissions_total',
    help: 'Questionnaire answers stored.',
    registers: [this.registry],
  });

  private readiness: (() => Promise<ReadinessReport>) | null = null;
  private snapshot: { at: number; value: Promise<QueueSnapshot> } | null = null;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly dataSource: DataSource,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'lien_' });
    const queueJobs: Gauge<'queue' | 'state'> = new Gauge({
      name: 'lien_queue_jobs',
      help: 'BullMQ jobs per queue and state, read at scrape time.',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      collect: async () => {
        queueJobs.reset();
        const { counts } = await this.queueSnapshot();
        for (const [queue, byState] of Object.entries(counts))
          for (const state of JOB_STATES) queueJobs.set({ queue, state }, byState[state] ?? 0);
      },
    });
    const oldestWaiting: Gauge<'queue'> = new Gauge({
      name: 'lien_queue_oldest_waiting_age_seconds',
      help: 'Age of the oldest job waiting to be taken (since it became runnable), per queue; 0 when none.',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      collect: async () => {
        oldestWaiting.reset();
        const { oldestWaitingAgeSeconds } = await this.queueSnapshot();
        for (const [queue, age] of Object.entries(oldestWaitingAgeSeconds)) oldestWaiting.set({ queue }, age);
      },
    });
    const pool: Gauge<'state'> = new Gauge({
      name: 'lien_db_pool_connections',
      help: 'PostgreSQL pool of this process: connections open, idle, and queries waiting for one.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect: () => {
        const current = this.pool();
        if (!current) return;
        pool.set({ state: 'total' }, current.totalCount);
        pool.set({ state: 'idle' }, current.idleCount);
        pool.set({ state: 'waiting' }, current.waitingCount);
      },
    });
    const ready: Gauge<'component'> = new Gauge({
      name: 'lien_ready',
      help: 'Readiness of this process per component (1 ready, 0 not): why a probe fails.',
      labelNames: ['component'] as const,
      registers: [this.registry],
      collect: async () => {
        ready.reset();
        const report = (await this.readiness?.()) ?? {};
        for (const [component, ok] of Object.entries(report)) ready.set({ component }, ok ? 1 : 0);
      },
    });
  }

  /** The health service tells the registry how to compute readiness (it is read at scrape time). */
  setReadinessProbe(probe: () => Promise<ReadinessReport>): void {
    this.readiness = probe;
  }

  smsOutcome(outcome: SmsOutcome, dueAt?: Date, now?: Date): void {
    this.smsSent.inc({ outcome });
    if (outcome === 'accepted' && dueAt && now)
      this.smsSendLateness.observe(Math.max(0, (now.getTime() - dueAt.getTime()) / 1000));
  }

  alertOpened(severity: string): void {
    this.alertsOpened.inc({ severity } as LabelValues<'severity'>);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  private pool(): Pool | null {
    const driver = this.dataSource.driver as unknown as { master?: Pool };
    return driver.master ?? null;
  }

  /** One read of every queue per scrape, shared by the two queue series. */
  private queueSnapshot(): Promise<QueueSnapshot> {
    const now = Date.now();
    if (this.snapshot && now - this.snapshot.at < 1_000) return this.snapshot.value;
    const value = this.readQueues();
    this.snapshot = { at: now, value };
    return value;
  }

  private async readQueues(): Promise<QueueSnapshot> {
    const snapshot: QueueSnapshot = { counts: {}, oldestWaitingAgeSeconds: {} };
    await Promise.all(
      Object.values(QUEUES).map(async (name) => {
        const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
        try {
          const [counts, oldest] = await withTimeout(
            Promise.all([queue.getJobCounts(...JOB_STATES), queue.getJobs(['wait'], 0, 0, true)]),
            QUEUE_TIMEOUT_MS,
          );
          snapshot.counts[name] = counts;
          const job = oldest[0];
          // A delayed job becomes runnable at timestamp + delay; its wait starts then.
          snapshot.oldestWaitingAgeSeconds[name] = job
            ? Math.max(0, (Date.now() - job.timestamp - (job.delay || 0)) / 1000)
            : 0;
        } catch {
          // Redis away: no figure rather than a stale one; lien_ready{component="redis"} says why.
        }
      }),
    );
    return snapshot;
  }
}
