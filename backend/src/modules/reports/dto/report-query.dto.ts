import { IsString, MaxLength } from 'class-validator';
import {
  REPORT_CSV_SEPARATORS,
  REPORT_GROUP_BY,
  type ReportCsvSeparator,
  type ReportExportQuery,
  type ReportGroupBy,
  type ReportQuery,
} from '@lien/shared';
import { EnumField, Field, TextField } from '../../../common/api-fields.js';

/** The shape of the query; dates, span, territory and ids are checked by parseReportQuery (400 per field). */
export class ReportQueryDto implements ReportQuery {
  @Field(
    {
      optional: true,
      example: '2025-04-01',
      description:
        'First local day, inclusive (default: 12 months ending on `to`); moved to the first day of its month ' +
        'for every caller but platform admins',
    },
    IsString(),
    MaxLength(10, { message: 'from must be a calendar date written YYYY-MM-DD' }),
  )
  from?: string;

  @Field(
    {
      optional: true,
      example: '2026-03-31',
      description:
        'Last local day, inclusive (default: today, Europe/Paris); moved to the last day of its month for every ' +
        'caller but platform admins',
    },
    IsString(),
    MaxLength(10, { message: 'to must be a calendar date written YYYY-MM-DD' }),
  )
  to?: string;

  @TextField({
    optional: true,
    example: '62,region:Grand Est',
    description: 'Département codes and/or region:<name>, comma-separated',
    max: 2000,
  })
  territory?: string;

  @Field(
    { optional: true, format: 'uuid' },
    IsString(),
    MaxLength(36, { message: 'organisationId must be a UUID' }),
  )
  organisationId?: string;

  @EnumField(
    REPORT_GROUP_BY,
    { optional: true },
    { message: `groupBy must be one of ${REPORT_GROUP_BY.join(', ')}` },
  )
  groupBy?: ReportGroupBy;
}

export class ReportExportQueryDto extends ReportQueryDto implements ReportExportQuery {
  @EnumField(
    REPORT_CSV_SEPARATORS,
    { optional: true, description: '`semicolon` for French Excel (`;` and decimal comma)' },
    { message: `separator must be one of ${REPORT_CSV_SEPARATORS.join(', ')}` },
  )
  separator?: ReportCsvSeparator;
}
