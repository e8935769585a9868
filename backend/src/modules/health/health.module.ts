import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { WorkerHealthServer } from './worker-health.server.js';

@Module({ controllers: [HealthController], providers: [HealthService], exports: [HealthService] })
export class HealthModule {}

/** Worker process only: its probes and metrics on WORKER_HEALTH_PORT. */
@Module({ imports: [HealthModule], providers: [WorkerHealthServer] })
export class WorkerHealthModule {}
