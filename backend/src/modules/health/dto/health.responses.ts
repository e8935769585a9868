import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { HealthReport } from '../health.service.js';

@ApiSchema({ name: 'HealthReport' })
export class HealthReportResponse implements HealthReport {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  status!: HealthReport['status'];

  @ApiProperty({ enum: ['up', 'down'] })
  postgres!: HealthReport['postgres'];

  @ApiProperty({ enum: ['up', 'down'] })
  redis!: HealthReport['redis'];
}
