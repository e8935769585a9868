import { IsIn } from 'class-validator';
import {
  ALERT_EVENT_TYPES,
  CLOSE_OUTCOMES,
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  REFERRAL_TARGETS,
  type AlertEventRequest,
  type AlertEventType,
  type CloseOutcome,
  type ContactChannel,
  type ContactOutcome,
  type ReferralTarget,
} from '@lien/shared';
import { EnumField, Field, TextField, UuidField } from '../../../common/api-fields.js';
import { invalidFields } from '../../../common/errors.js';

export const NOTE_MAX_LENGTH = 4000;
/** A referral destination in free text (a service's or practitioner's name and town). */
export const DESTINATION_MAX_LENGTH = 200;

/**
 * `POST /api/alerts/:id/events`. One body for every type (class-validator has no unions): the pipe checks
 * each field's shape, then `parseAlertEvent` checks which fields the type needs and allows.
 */
export class AlertEventDto {
  @EnumField(ALERT_EVENT_TYPES) type!: AlertEventType;
  @UuidField({ optional: true, description: 'assign' }) assigneeId?: string;
  @TextField({ optional: true, description: 'note', max: NOTE_MAX_LENGTH })
  text?: string;

  @Field(
    {
      optional: true,
      description:
        'contact_attempt: reached | unreachable; close: in_care | declined | false_alarm | moved | unreachable',
    },
    IsIn([...CONTACT_OUTCOMES, ...CLOSE_OUTCOMES]),
  )
  outcome?: string;

  @EnumField(CONTACT_CHANNELS, { optional: true }) channel?: string;
  @EnumField(REFERRAL_TARGETS, {
    optional: true,
    description: 'referral: required unless resourceId is given (the entry’s kind gives it then)',
  })
  to?: string;

  @TextField({
    optional: true,
    description: 'in_care: the date care began (YYYY-MM-DD), today or earlier',
    max: 10,
  })
  careStartedOn?: string;

  @UuidField({ optional: true, description: 'referral: an entry of the referral directory' })
  resourceId?: string;

  @TextField({
    optional: true,
    description:
      'referral: where, in free text, when the directory does not list it (required with to "other")',
    max: DESTINATION_MAX_LENGTH,
  })
  destination?: string;

  @TextField({ optional: true, max: NOTE_MAX_LENGTH }) note?: string;
}

const FIELDS: Record<AlertEventType, { required: readonly string[]; optional: readonly string[] }> = {
  acknowledge: { required: [], optional: [] },
  assign: { required: ['assigneeId'], optional: [] },
  note: { required: ['text'], optional: [] },
  contact_attempt: { required: ['outcome', 'channel'], optional: ['note'] },
  // `to` or `resourceId` (checked below).
  referral: { required: [], optional: ['to', 'note', 'resourceId', 'destination'] },
  in_care: { required: [], optional: ['note', 'careStartedOn'] },
  close: { required: ['outcome'], optional: ['note'] },
};

function fail(details: { field: string; message: string }[]): never {
  throw invalidFields(details);
}

/** The typed event from a pipe-validated body; 400 naming each missing, misplaced or blank field. */
export function parseAlertEvent(dto: AlertEventDto): AlertEventRequest {
  const spec = FIELDS[dto.type];
  const body = dto as unknown as Record<string, unknown>;
  const problems: { field: string; message: string }[] = [];
  for (const field of Object.keys(body)) {
    if (field === 'type' || body[field] === undefined) continue;
    if (!spec.required.includes(field) && !spec.optional.includes(field))
      problems.push({ field, message: `is not allowed for a ${dto.type} event` });
  }
  for (const field of spec.required) {
    const value = body[field];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
      problems.push({ field, message: `is required for a ${dto.type} event` });
  }
  if (
    dto.type === 'contact_attempt' &&
    dto.outcome !== undefined &&
    !(CONTACT_OUTCOMES as readonly string[]).includes(dto.outcome)
  ) {
    problems.push({ field: 'outcome', message: `must be one of ${CONTACT_OUTCOMES.join(', ')}` });
  }
  if (
    dto.type === 'close' &&
    dto.outcome !== undefined &&
    !(CLOSE_OUTCOMES as readonly string[]).includes(dto.outcome)
  ) {
    problems.push({ field: 'outcome', message: `must be one of ${CLOSE_OUTCOMES.join(', ')}` });
  }
  if (dto.type === 'referral') {
    if (!dto.to && !dto.resourceId)
      problems.push({
        field: 'to',
        message: 'is required for a referral event unless resourceId names a directory entry',
      });
    if (dto.to === 'other' && !dto.destination?.trim())
      problems.push({ field: 'destination', message: 'is required when the referral goes to "other"' });
  }
  if (problems.length) fail(problems);
  const note = dto.note?.trim() ? { note: dto.note.trim() } : {};
  switch (dto.type) {
    case 'acknowledge':
      return { type: 'acknowledge' };
    case 'assign':
      return { type: 'assign', assigneeId: dto.assigneeId as string };
    case 'note':
      return { type: 'note', text: (dto.text as string).trim() };
    case 'contact_attempt':
      return {
        type: 'contact_attempt',
        outcome: dto.outcome as ContactOutcome,
        channel: dto.channel as ContactChannel,
        ...note,
      };
    case 'referral':
      return {
        type: 'referral',
        ...(dto.to ? { to: dto.to as ReferralTarget } : {}),
        ...(dto.resourceId ? { resourceId: dto.resourceId } : {}),
        ...(dto.destination?.trim() ? { destination: dto.destination.trim() } : {}),
        ...note,
      };
    case 'in_care':
      return {
        type: 'in_care',
        ...(dto.careStartedOn ? { careStartedOn: dto.careStartedOn } : {}),
        ...note,
      };
    case 'close':
      return { type: 'close', outcome: dto.outcome as CloseOutcome, ...note };
  }
}
