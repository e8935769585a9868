import { HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiController, PublicRoute } from '../../common/route.js';
import type { HealthReport, ReadinessReport } from '@lien/shared';
import { HealthService } from './health.service.js';
import { ApiAnswer } from '../../common/openapi.js';

@ApiController('health', 'api/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @PublicRoute('GET', {
    summary: '200 when Postgres and Redis answer, 503 otherwise',
    result: 'HealthReport',
  })
  @ApiAnswer(503, 'HealthReport', 'Postgres or Redis does not answer')
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.health.check();
    if (report.status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  @PublicRoute('GET live', {
    summary: 'Liveness: 200 while the process answers; never asks Postgres or Redis',
    result: 'Liveness',
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @PublicRoute('GET ready', {
    summary:
      'Readiness: 200 when Postgres and Redis answer and migrations are applied, 503 naming what is not',
    result: 'ReadinessReport',
  })
  @ApiAnswer(
    503,
    'ReadinessReport',
    'Not ready: the report names the component that is not (Postgres, Redis or migrations)',
  )
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessReport> {
    const report = await this.health.ready();
    if (report.status !== 'ready') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
