import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  REPORT_CSV_SEPARATORS,
  REPORT_GROUP_BY,
  type ReportCsvSeparator,
  type ReportExportQuery,
  type ReportGroupBy,
  type ReportQuery,
} from '@lien/shared';

/** The shape of the query; dates, span, territory and ids are checked by parseReportQuery (400 per field). */
export class ReportQueryDto implements ReportQuery {
  @ApiPropertyOptional({
    example: '2025-04-01',
    description:
      'First local day, inclusive (default: 12 months ending on `to`); moved to the first day of its month ' +
      'for every caller but platform admins',
  })
  @IsOptional()
  @IsString()
  @MaxLength(10, { message: 'from must be a calendar date written YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-03-31',
    description:
      'Last local day, inclusive (default: today, Europe/Paris); moved to the last day of its month for every ' +
      'caller but platform admins',
  })
  @IsOptional()
  @IsString()
  @MaxLength(10, { message: 'to must be a calendar date written YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({
    example: '62,region:Grand Est',
    description: 'Département codes and/or region:<name>, comma-separated',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  territory?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsString()
  @MaxLength(36, { message: 'organisationId must be a UUID' })
  organisationId?: string;

  @ApiPropertyOptional({ enum: REPORT_GROUP_BY })
  @IsOptional()
  @IsIn(REPORT_GROUP_BY, { message: `groupBy must be one of ${REPORT_GROUP_BY.join(', ')}` })
  groupBy?: ReportGroupBy;
}

export class ReportExportQueryDto extends ReportQueryDto implements ReportExportQuery {
  @ApiPropertyOptional({
    enum: REPORT_CSV_SEPARATORS,
    description: '`semicolon` for French Excel (`;` and decimal comma)',
  })
  @IsOptional()
  @IsIn(REPORT_CSV_SEPARATORS, { message: `separator must be one of ${REPORT_CSV_SEPARATORS.join(', ')}` })
  separator?: ReportCsvSeparator;
}
