import { Header, Query, StreamableFile } from '@nestjs/common';
import type { ReportSummary } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Caller, CurrentUser } from '../../common/auth/decorators.js';
import { ApiController, Route } from '../../common/route.js';
import { ReportExportQueryDto, ReportQueryDto } from './dto/report-query.dto.js';
import { ReportsService } from './reports.service.js';

@ApiController('reports', 'api/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Route('GET summary', 'reports.read', {
    summary: 'Pseudonymised indicators for a period and territory, under statistical secrecy',
    description:
      'Coordinators: their départements / region (a territory outside it: 403); org admins: their organisation; ' +
      'platform admins: everything. An organisationId outside the scope: 404. Counts 1–4 are hidden ("<5", ' +
      'reason small_count) and further counts so that none can be worked out by subtraction (reason ' +
      'complementary); for coordinators and org admins counts are rounded to 5 and the period is widened to ' +
      'whole calendar months (roundingBase, periodUnit). See docs/report-secrecy.md.',
    errors: [400, 404],
    result: 'ReportSummary',
  })
  summary(@CurrentUser() user: AuthUser, @Query() query: ReportQueryDto): Promise<ReportSummary> {
    return this.reports.summary(user, query);
  }

  @Route('GET export.csv', 'reports.export', {
    summary: 'The same report as CSV (UTF-8 with BOM; separator=semicolon for French Excel); audited',
    errors: [400, 404],
    result: { contentType: 'text/csv', description: 'The report as a CSV attachment (UTF-8 with BOM)' },
  })
  @Header('Cache-Control', 'no-store')
  async exportCsv(
    @Caller() { user, audit }: Caller,
    @Query() query: ReportExportQueryDto,
  ): Promise<StreamableFile> {
    const file = await this.reports.exportCsv(user, query, audit);
    return new StreamableFile(file.body, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${file.filename}"`,
      length: file.body.length,
    });
  }
}
