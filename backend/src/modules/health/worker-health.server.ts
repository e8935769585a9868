import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { JobConsumers } from '../../queue/job-consumers.js';
import { checkScrape } from '../metrics/metrics-auth.js';
import { Metrics } from '../metrics/metrics.service.js';
import { HealthService, readinessGauges } from './health.service.js';

/** What readiness needs of a BullMQ worker (typed once: Worker's generics default to `any`). */
interface Consumer {
  isRunning(): boolean;
  closing: Promise<void> | undefined;
  getBackend(): { client: Promise<unknown> };
}

/**
 * The worker has no HTTP API: this small server answers its probes on WORKER_HEALTH_PORT (0 = none):
 * `/health/live` (the event loop answers), `/health/ready` (Postgres, Redis, migrations, and every BullMQ
 * worker of this process running on a ready connection) and `/metrics` (bearer METRICS_TOKEN).
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WorkerHealth');
  private server: http.Server | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthService,
    private readonly metrics: Metrics,
    private readonly jobs: JobConsumers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.metrics.setReadinessProbe(async () => readinessGauges(await this.ready()));
    if (this.config.workerHealthPort === 0) return;
    const server = http.createServer((request, response) => {
      this.answer(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.workerHealthPort, () => resolve());
    });
    this.server = server;
    this.logger.log(`Probes and metrics on port ${(server.address() as AddressInfo).port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  ready() {
    return this.health.ready(async () => this.consuming());
  }

  /** BullMQ workers of this process (one per consumed queue, see `JobConsumers`). */
  workers(): Consumer[] {
    return [...this.jobs.runningWorkers()];
  }

  private async consuming(): Promise<boolean> {
    const workers = this.workers();
    if (workers.length === 0) return false;
    const states = await Promise.all(
      workers.map(async (worker) => {
        if (!worker.isRunning() || worker.closing) return false;
        // ioredis says whether its connection is up; a worker whose Redis is away consumes nothing.
        const client = (await Promise.race([
          worker.getBackend().client,
          new Promise((resolve) => setTimeout(resolve, 1_500, { status: 'timeout' }).unref()),
        ])) as { status?: unknown };
        return typeof client.status !== 'string' || client.status === 'ready';
      }),
    );
    return states.every(Boolean);
  }

  private async answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET')
      return json(response, 405, { statusCode: 405, error: 'Method Not Allowed' });
    if (path === '/health/live') return json(response, 200, { status: 'ok' });
    if (path === '/health/ready') {
      const report = await this.ready();
      return json(response, report.status === 'ready' ? 200 : 503, report);
    }
    if (path === '/metrics') {
      const verdict = checkScrape(this.config.metricsToken, request.headers.authorization);
      if (verdict === 'disabled') return json(response, 404, { statusCode: 404, error: 'Not Found' });
      if (verdict === 'refused')
        return json(response, 401, {
          statusCode: 401,
          error: 'Unauthorized',
          message: 'A valid metrics bearer token is required',
        });
      const text = await this.metrics.text();
      response.writeHead(200, {
        'Content-Type': this.metrics.registry.contentType,
        'Cache-Control': 'no-store',
      });
      response.end(text);
      return;
    }
    json(response, 404, { statusCode: 404, error: 'Not Found' });
  }
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}
