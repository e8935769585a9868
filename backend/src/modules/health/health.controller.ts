import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/auth/decorators.js';
import { HealthService, type HealthReport } from './health.service.js';
import { ApiResult } from '../../common/openapi.js';
import { HealthReportResponse } from './dto/health.responses.js';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: '200 when Postgres and Redis answer, 503 otherwise' })
  @ApiResult(HealthReportResponse)
  @ApiResult(HealthReportResponse, { status: 503, description: 'Postgres or Redis does not answer' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.health.check();
    if (report.status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
