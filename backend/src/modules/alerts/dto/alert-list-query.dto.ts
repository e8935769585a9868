import { ALERT_SEVERITIES, ALERT_STATUSES, type AlertSeverity, type AlertStatus } from '@lien/shared';
import { TextField } from '../../../common/api-fields.js';
import { invalidFields } from '../../../common/errors.js';
import { pageOf, PageQuery } from '../../../common/paging.js';

/** `GET /api/alerts` query: strings from the URL, parsed and checked by `parseAlertListQuery`. */
export class AlertListQueryDto extends PageQuery {
  @TextField({
    optional: true,
    description: 'Comma-separated statuses, "active" (default: all but closed) or "all"',
    max: 200,
  })
  status?: string;

  @TextField({ optional: true, description: 'Comma-separated severities', max: 100 }) severity?: string;
  @TextField({ optional: true, description: '"me", "none" or a user id', max: 64 }) assignee?: string;
  @TextField({ optional: true, enum: ['true', 'false'], max: 5 }) overdue?: string;
}

export interface ParsedAlertListQuery {
  statuses: AlertStatus[];
  severities: AlertSeverity[] | null;
  /** "me", "none", a user id, or null (anyone). */
  assignee: string | null;
  overdue: boolean | null;
  page: number;
  pageSize: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTIVE: AlertStatus[] = ALERT_STATUSES.filter((status) => status !== 'closed');

function list<T extends string>(
  text: string,
  allowed: readonly T[],
  field: string,
  problems: { field: string; message: string }[],
): T[] {
  const values = [
    ...new Set(
      text
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean),
    ),
  ];
  const bad = values.filter((value) => !(allowed as readonly string[]).includes(value));
  if (bad.length || values.length === 0)
    problems.push({ field, message: `must be a comma-separated list of ${allowed.join(', ')}` });
  return values as T[];
}

export function parseAlertListQuery(query: AlertListQueryDto): ParsedAlertListQuery {
  const problems: { field: string; message: string }[] = [];
  const statusText = query.status?.trim();
  const statuses =
    !statusText || statusText === 'active'
      ? ACTIVE
      : statusText === 'all'
        ? [...ALERT_STATUSES]
        : list(statusText, ALERT_STATUSES, 'status', problems);
  const severities = query.severity?.trim()
    ? list(query.severity, ALERT_SEVERITIES, 'severity', problems)
    : null;
  let assignee: ParsedAlertListQuery['assignee'] = null;
  const assigneeText = query.assignee?.trim();
  if (assigneeText) {
    if (assigneeText === 'me' || assigneeText === 'none' || UUID.test(assigneeText)) assignee = assigneeText;
    else problems.push({ field: 'assignee', message: 'must be "me", "none" or a user id' });
  }
  let overdue: boolean | null = null;
  if (query.overdue !== undefined) {
    if (query.overdue === 'true' || query.overdue === 'false') overdue = query.overdue === 'true';
    else problems.push({ field: 'overdue', message: 'must be true or false' });
  }
  const { page, pageSize } = pageOf(query);
  if (problems.length) throw invalidFields(problems);
  return { statuses, severities, assignee, overdue, page, pageSize };
}
