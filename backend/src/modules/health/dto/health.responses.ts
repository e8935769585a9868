import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { HealthReport, ReadinessReport } from '../health.service.js';

@ApiSchema({ name: 'HealthReport' })
export class HealthReportResponse implements HealthReport {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  status!: HealthReport['status'];

  @ApiProperty({ enum: ['up', 'down'] })
  postgres!: HealthReport['postgres'];

  @ApiProperty({ enum: ['up', 'down'] })
  redis!: HealthReport['redis'];
}

@ApiSchema({ name: 'Liveness' })
export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

@ApiSchema({ name: 'ReadinessReport' })
export class ReadinessReportResponse implements ReadinessReport {
  @ApiProperty({ enum: ['ready', 'not_ready'] })
  status!: ReadinessReport['status'];

  @ApiProperty({ enum: ['up', 'down'] })
  postgres!: ReadinessReport['postgres'];

  @ApiProperty({ enum: ['up', 'down'] })
  redis!: ReadinessReport['redis'];

  @ApiProperty({ enum: ['applied', 'pending', 'unknown'] })
  migrations!: ReadinessReport['migrations'];

  @ApiPropertyOptional({ enum: ['consuming', 'stopped'], description: 'Worker only' })
  queues?: ReadinessReport['queues'];
}
