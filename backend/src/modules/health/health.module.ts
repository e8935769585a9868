import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { WorkerHealthServer } from './worker-health.server.js';

@Module({ controllers: [HealthController], providers: [HealthService], exports: [HealthService] })
export class HealthModule {}

/** Worker process only: its probes and metrics on WORKER_HEALTH_PORT. */
@Module({ imports: [HealthModule, DiscoveryModule], providers: [WorkerHealthServer] })
export class WorkerHealthModule {}
