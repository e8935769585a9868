import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';
import { RollupMaintenanceService } from './rollup-maintenance.service.js';

/** Coordinator reports: GET /api/reports/summary and /api/reports/export.csv, read from the rollups. */
@Module({
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService, RollupMaintenanceService],
  exports: [ReportsService, RollupMaintenanceService],
})
export class ReportsModule {}
