import { DateTime } from 'luxon';
import type { ApiErrorDetail } from '@lien/shared';
import { conflict, invalidFields, type DomainError } from '../../common/errors.js';
import { localDate } from '../invitations/schedule.js';
import type { ParentEntity } from './parent.entity.js';

/** The input rules of a parent record: field problems, birth dates, same birth, duplicates (pure functions). */

/** Collects field problems so one 400 names every bad field. */
export class FieldProblems {
  readonly details: ApiErrorDetail[] = [];
  add(field: string, message: string): void {
    this.details.push({ field, message: `${field} ${message}` });
  }
  throwIfAny(): void {
    if (this.details.length === 0) return;
    throw invalidFields(this.details);
  }
}

/** One field's 400, in the same shape as FieldProblems'. */
export function invalidField(field: string, message: string): DomainError {
  const problems = new FieldProblems();
  problems.add(field, message);
  return invalidFields(problems.details);
}

/** A real calendar date written YYYY-MM-DD (not 2026-02-30). */
function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The birth and term date limits of one local day (ISO dates), the same for every enrolment of that day. */
interface BirthBounds {
  today: string;
  yearAgo: string;
  monthAgo: string;
  tenMonthsAhead: string;
}

const boundsByDay = new Map<string, BirthBounds>();

function birthBounds(today: string): BirthBounds {
  let bounds = boundsByDay.get(today);
  if (!bounds) {
    const day = DateTime.fromISO(today, { zone: 'utc' });
    bounds = {
      today,
      yearAgo: day.minus({ years: 1 }).toISODate()!,
      monthAgo: day.minus({ months: 1 }).toISODate()!,
      tenMonthsAhead: day.plus({ months: 10 }).toISODate()!,
    };
    if (boundsByDay.size > 1_000) boundsByDay.clear();
    boundsByDay.set(today, bounds);
  }
  return bounds;
}

/** The parents of one birth: a mother and a father or co-parent, or three with a co-parent (as enrolment allows). */
export const MAX_HOUSEHOLD_PARENTS = 3;

/**
 * Birth date: a real date, not after today, not more than a year ago. Expected term: from a month ago to ten
 * months ahead. On enrolment exactly one of them is given. "Today" is the organisation's local date.
 */
export function checkBirth(
  birthDate: string | undefined,
  expectedTermDate: string | undefined,
  timeZone: string,
  now: Date,
  problems: FieldProblems,
  exactlyOne: boolean,
): void {
  if (exactlyOne && birthDate === undefined && expectedTermDate === undefined) {
    problems.add('birthDate', 'is required (or expectedTermDate for an antenatal enrolment)');
    return;
  }
  if (exactlyOne && birthDate !== undefined && expectedTermDate !== undefined) {
    problems.add('birthDate', 'and expectedTermDate cannot both be given');
    problems.add('expectedTermDate', 'and birthDate cannot both be given');
    return;
  }
  // Calendar arithmetic on dates: the time zone only decides which day "today" is. ISO dates compare as text.
  const bounds = birthBounds(localDate(now, timeZone));
  if (birthDate !== undefined) {
    if (!isCalendarDate(birthDate)) problems.add('birthDate', 'is not a valid date');
    else if (birthDate > bounds.today) problems.add('birthDate', 'cannot be in the future');
    else if (birthDate < bounds.yearAgo) problems.add('birthDate', 'cannot be more than a year ago');
  }
  if (expectedTermDate !== undefined) {
    if (!isCalendarDate(expectedTermDate)) problems.add('expectedTermDate', 'is not a valid date');
    else if (expectedTermDate < bounds.monthAgo || expectedTermDate > bounds.tenMonthsAhead) {
      problems.add('expectedTermDate', 'must be between a month ago and ten months ahead');
    }
  }
}

/**
 * Whether two parent records are of the same birth: the same birth date, the same expected term, or a term
 * within 60 days of the other's birth date (the duplicate rule's tolerance).
 */
export function sameBirth(
  a: Pick<ParentEntity, 'birthDate' | 'expectedTermDate'>,
  b: Pick<ParentEntity, 'birthDate' | 'expectedTermDate'>,
): boolean {
  if (a.birthDate && b.birthDate) return a.birthDate === b.birthDate;
  if (!a.birthDate && !b.birthDate) return a.expectedTermDate === b.expectedTermDate;
  const birth = (a.birthDate ?? b.birthDate)!;
  const term = a.birthDate ? b.expectedTermDate : a.expectedTermDate;
  if (!term) return false;
  const days = Math.abs(Date.parse(`${birth}T00:00:00Z`) - Date.parse(`${term}T00:00:00Z`)) / 86_400_000;
  return days <= 60;
}

export function duplicate(existingParentId: string | null): DomainError {
  return conflict(
    'duplicate_parent',
    'This phone number is already enrolled for this birth in your organisation',
    existingParentId ? { existingParentId } : {},
  );
}
