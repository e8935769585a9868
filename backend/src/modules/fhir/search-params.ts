import type { ApiErrorDetail } from '@lien/shared';
import { isUuid } from '../../common/auth/uuid-param.pipe.js';
import { DomainError } from '../../common/errors.js';
import type { AlertStatus } from '@lien/shared';
import type { TaskStatus } from './fhir-types.js';
import { EPDS_TOTAL } from './mappers/codes.js';
import { alertStatusesFor } from './mappers/task.mapper.js';

/** The parameters several resource types share. */
const PATIENT = { name: 'patient', type: 'reference', documentation: 'Patient/<id> or <id>' } as const;
const DATE_DOCUMENTATION = 'Prefixes eq, ge, gt, le, lt; dates without zone are UTC';

/** Searchable resource types and their parameters: the CapabilityStatement is built from this table too. */
export const SEARCH_PARAMETERS = {
  QuestionnaireResponse: [PATIENT, { name: 'authored', type: 'date', documentation: DATE_DOCUMENTATION }],
  Observation: [
    PATIENT,
    { name: 'date', type: 'date', documentation: DATE_DOCUMENTATION },
    { name: 'code', type: 'token', documentation: 'Only http://loinc.org|99046-5 (EPDS total) exists' },
  ],
  Flag: [PATIENT],
  Task: [
    PATIENT,
    {
      name: 'status',
      type: 'token',
      documentation: 'requested, accepted, in-progress, completed (comma = or)',
    },
  ],
} as const satisfies Record<string, readonly { name: string; type: string; documentation: string }[]>;

export type SearchableType = keyof typeof SEARCH_PARAMETERS;

/** Paging parameters every search accepts; `_offset` is what the next/previous links carry. */
export const PAGING_PARAMETERS = ['_count', '_offset'] as const;
export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 100;
const MAX_OFFSET = 100_000;

export interface DateBounds {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

export interface FhirSearch {
  /** The patient asked for (a parent id), or undefined for the whole organisation. */
  patientId?: string;
  dates: DateBounds;
  /** false when the search asks for codes Lien never emits: an empty result, no query. */
  codeMatches: boolean;
  /** Task statuses as alert statuses; undefined = all. */
  alertStatuses?: AlertStatus[];
  count: number;
  offset: number;
}

const TASK_STATUSES: readonly TaskStatus[] = [
  'draft',
  'requested',
  'received',
  'accepted',
  'rejected',
  'ready',
  'cancelled',
  'in-progress',
  'on-hold',
  'failed',
  'completed',
  'entered-in-error',
];

function invalid(details: ApiErrorDetail[], code = 'invalid_search'): DomainError {
  return new DomainError('invalid', code, details.map((detail) => detail.message).join('; '), details);
}

const DATE =
  /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** The instants [start, end) a FHIR date or dateTime covers at its precision, or null if it is not one. */
export function parseFhirDate(value: string): { prefix: string; start: Date; end: Date } | null {
  const match = DATE.exec(value);
  if (!match) return null;
  const [, prefix = 'eq', year, month, day, hour, minute, second, fraction, zone] = match;
  const y = Number(year);
  const m = month ? Number(month) - 1 : 0;
  const d = day ? Number(day) : 1;
  if (m > 11 || d < 1) return null;
  const calendar = new Date(Date.UTC(y, m, d));
  if (calendar.getUTCMonth() !== m || calendar.getUTCDate() !== d) return null;
  if (!day) {
    const start = calendar;
    const end = month ? new Date(Date.UTC(y, m + 1, 1)) : new Date(Date.UTC(y + 1, 0, 1));
    return { prefix, start, end };
  }
  if (hour === undefined) return { prefix, start: calendar, end: new Date(Date.UTC(y, m, d + 1)) };
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return null;
  const text = `${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}${fraction ? `.${fraction.slice(0, 3)}` : ''}${zone ?? 'Z'}`;
  const start = new Date(text);
  if (Number.isNaN(start.getTime())) return null;
  const step = fraction ? 1 : second !== undefined ? 1_000 : 60_000;
  return { prefix, start, end: new Date(start.getTime() + step) };
}

function narrow(bounds: DateBounds, from?: Date, to?: Date): DateBounds {
  return {
    from: from && (!bounds.from || from > bounds.from) ? from : bounds.from,
    to: to && (!bounds.to || to < bounds.to) ? to : bounds.to,
  };
}

function single(name: string, value: unknown, problems: ApiErrorDetail[]): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  problems.push({
    field: name,
    message: Array.isArray(value) ? `${name} must be given once` : `${name} must not be empty`,
  });
  return undefined;
}

function integer(
  name: string,
  value: string,
  min: number,
  max: number,
  problems: ApiErrorDetail[],
): number | undefined {
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    problems.push({ field: name, message: `${name} must be an integer from ${min} to ${max}` });
    return undefined;
  }
  return Number(value);
}

/**
 * Checks a search's query string against what the type supports: an unknown parameter (modifiers included) or
 * a bad value is a 400 naming it (an OperationOutcome on /fhir), never a silently wider result.
 */
export function parseSearch(type: SearchableType, query: Record<string, unknown>): FhirSearch {
  const allowed = new Set<string>([
    ...SEARCH_PARAMETERS[type].map((param) => param.name),
    ...PAGING_PARAMETERS,
  ]);
  const unknown = Object.keys(query).filter((name) => !allowed.has(name));
  if (unknown.length > 0) {
    throw invalid(
      unknown.map((name) => ({
        field: name,
        message: `Unknown search parameter "${name}" for ${type}; supported: ${[...allowed].join(', ')}`,
      })),
      'unknown_search_parameter',
    );
  }
  const problems: ApiErrorDetail[] = [];
  const search: FhirSearch = { dates: {}, codeMatches: true, count: DEFAULT_COUNT, offset: 0 };

  if (query._count !== undefined) {
    const value = single('_count', query._count, problems);
    // Asking for more than the maximum gets the maximum (a server may return fewer), not an error.
    if (value !== undefined)
      search.count = Math.min(integer('_count', value, 0, 1_000_000, problems) ?? 0, MAX_COUNT);
  }
  if (query._offset !== undefined) {
    const value = single('_offset', query._offset, problems);
    if (value !== undefined) search.offset = integer('_offset', value, 0, MAX_OFFSET, problems) ?? 0;
  }
  if (query.patient !== undefined) {
    const value = single('patient', query.patient, problems);
    const id = value?.replace(/^(?:.*\/)?Patient\//, '');
    if (value !== undefined) {
      if (isUuid(id)) search.patientId = id.toLowerCase();
      else
        problems.push({ field: 'patient', message: 'patient must be a Patient id (Patient/<id> or <id>)' });
    }
  }
  for (const name of ['authored', 'date'] as const) {
    const raw = query[name];
    if (raw === undefined) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      const parsed = typeof value === 'string' ? parseFhirDate(value.trim()) : null;
      if (!parsed || !['eq', 'ge', 'gt', 'le', 'lt'].includes(parsed.prefix)) {
        problems.push({
          field: name,
          message: `${name} must be a FHIR date or dateTime with an optional prefix eq, ge, gt, le or lt (e.g. ge2026-01-01)`,
        });
        continue;
      }
      const { prefix, start, end } = parsed;
      search.dates =
        prefix === 'eq'
          ? narrow(search.dates, start, end)
          : prefix === 'ge'
            ? narrow(search.dates, start)
            : prefix === 'gt'
              ? narrow(search.dates, end)
              : prefix === 'le'
                ? narrow(search.dates, undefined, end)
                : narrow(search.dates, undefined, start);
    }
  }
  if (query.code !== undefined) {
    const value = single('code', query.code, problems);
    if (value !== undefined) {
      const tokens = value.split(',').map((token) => token.trim());
      if (tokens.some((token) => token === '' || token.endsWith('|')))
        problems.push({ field: 'code', message: 'code must be [system|]code, comma-separated' });
      search.codeMatches = tokens.some((token) => {
        const [system, code] = token.includes('|') ? token.split('|', 2) : [undefined, token];
        return (
          code === EPDS_TOTAL.code && (system === undefined || system === '' || system === EPDS_TOTAL.system)
        );
      });
    }
  }
  if (query.status !== undefined) {
    const value = single('status', query.status, problems);
    if (value !== undefined) {
      const statuses = value.split(',').map((status) => status.trim());
      const bad = statuses.filter((status) => !(TASK_STATUSES as readonly string[]).includes(status));
      if (bad.length > 0)
        problems.push({
          field: 'status',
          message: `status must be Task status codes (${TASK_STATUSES.join(', ')})`,
        });
      else
        search.alertStatuses = [
          ...new Set(statuses.flatMap((status) => alertStatusesFor(status as TaskStatus))),
        ];
    }
  }
  if (problems.length > 0) throw invalid(problems);
  return search;
}

/** The query string of a page of the same search (self, next, previous links). */
export function pageQuery(query: Record<string, unknown>, count: number, offset: number): string {
  const params = new URLSearchParams();
  for (const [name, raw] of Object.entries(query)) {
    if ((PAGING_PARAMETERS as readonly string[]).includes(name)) continue;
    for (const value of Array.isArray(raw) ? raw : [raw])
      if (typeof value === 'string') params.append(name, value);
  }
  params.set('_count', String(count));
  params.set('_offset', String(offset));
  return params.toString();
}
