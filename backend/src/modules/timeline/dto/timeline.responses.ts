import { ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import {
  ALERT_REASONS,
  ALERT_SEVERITIES,
  SMS_STATUSES,
  type ParentTimeline,
  type TimelineEntry,
} from '@lien/shared';
import { FOLLOW_UP_EVENT_TYPES } from '../../alerts/dto/alerts.responses.js';

type TimelineEntryEnrolledShape = NonNullable<Extract<TimelineEntry, { kind: 'enrolled' }>>;
type TimelineEntryInvitationPlannedShape = NonNullable<
  Extract<TimelineEntry, { kind: 'invitation_planned' }>
>;
type TimelineEntrySmsShape = NonNullable<Extract<TimelineEntry, { kind: 'sms' }>>;
type TimelineEntryInvitationOpenedShape = NonNullable<Extract<TimelineEntry, { kind: 'invitation_opened' }>>;
type TimelineEntryInvitationExpiredShape = NonNullable<
  Extract<TimelineEntry, { kind: 'invitation_expired' }>
>;
type TimelineEntryResponseShape = NonNullable<Extract<TimelineEntry, { kind: 'response' }>>;
type TimelineEntryAlertShape = NonNullable<Extract<TimelineEntry, { kind: 'alert' }>>;
type TimelineEntryFollowUpShape = NonNullable<Extract<TimelineEntry, { kind: 'follow_up' }>>;

@ApiSchema({ name: 'TimelineEntryFollowUp' })
export class TimelineEntryFollowUpResponse implements TimelineEntryFollowUpShape {
  @ApiProperty({ type: String, format: 'date-time' })
  at!: TimelineEntryFollowUpShape['at'];

  @ApiProperty({ enum: ['follow_up'] })
  kind!: TimelineEntryFollowUpShape['kind'];

  @ApiProperty({ type: String, format: 'uuid' })
  alertId!: TimelineEntryFollowUpShape['alertId'];

  @ApiProperty({ type: String, format: 'uuid' })
  eventId!: TimelineEntryFollowUpShape['eventId'];

  @ApiProperty({ enum: FOLLOW_UP_EVENT_TYPES })
  type!: TimelineEntryFollowUpShape['type'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId!: TimelineEntryFollowUpShape['actorId'];

  @ApiProperty({ type: 'object', additionalProperties: true })
  payload!: TimelineEntryFollowUpShape['payload'];
}

@ApiSchema({ name: 'TimelineEntryAlert' })
export class TimelineEntryAlertResponse implements TimelineEntryAlertShape {
  @ApiProperty({ type: String, format: 'date-time' })
  at!: TimelineEntryAlertShape['at'];

  @ApiProperty({ enum: ['alert'] })
  kind!: TimelineEntryAlertShape['kind'];

  @ApiProperty({ type: String, format: 'uuid' })
  alertId!: TimelineEntryAlertShape['alertId'];

  @ApiProperty({ enum: [...ALERT_SEVERITIES] })
  severity!: TimelineEntryAlertShape['severity'];

  @ApiProperty({ enum: [...ALERT_REASONS], isArray: true })
  reasons!: TimelineEntryAlertShape['reasons'];
}

@ApiSchema({ name: 'TimelineEntryResponse' })
export class TimelineEntryResponseDto implements TimelineEntryResponseShape {
  @ApiProperty({ type: String, format: 'date-time' })
  at!: TimelineEntryResponseShape['at'];

  @ApiProperty({ enum: ['response'] })
  kind!: TimelineEntryResponseShape['kind'];

  @ApiProperty({ type: String, format: 'uuid' })
  responseId!: TimelineEntryResponseShape['responseId'];

  @ApiProperty({ type: String, format: 'uuid' })
  invitationId!: TimelineEntryResponseShape['invitationId'];

  @ApiProperty({ type: String })
  wave!: TimelineEntryResponseShape['wave'];

  @ApiProperty({ type: Number })
  score!: TimelineEntryResponseShape['score'];

  @ApiProperty({ enum: ['high', 'moderate', 'low'] })
  band!: TimelineEntryResponseShape['band'];

  @ApiProperty({ type: Boolean })
  item10Positive!: TimelineEntryResponseShape['item10Positive'];

  @ApiProperty({ type: Boolean })
  anxietyFlag!: TimelineEntryResponseShape['anxietyFlag'];
}

@ApiSchema({ name: 'TimelineEntryInvitationExpired' })
export class TimelineEntryInvitationExpiredResponse implements TimelineEntryInvitationExpiredShape {
  @ApiProperty({ type: String, format: 'date-time' })
  at!: TimelineEntryInvitationExpiredShape['at'];

  @ApiProperty({ enum: ['invitation_expired'] })
  kind!: TimelineEntryInvitationExpiredShape['kind'];

  @ApiProperty({ type: String, format: 'uuid' })
  invitationId!: TimelineEntryInvitationExpiredShape['invitationId'];

  @ApiProperty({ type: String })
  wave!: TimelineEntryInvitationExpiredShape['wave'];

  @ApiProperty({ enum: ['sent', 'cancelled', 'planned', 'opened', 'completed', 'expired', 'skipped'] })
  status!: TimelineEntryInvitationExpiredShape['status'];
}

@ApiSchema({ name: 'TimelineEntryInvitationOpened' })
export class TimelineEntryInvitationOpenedResponse implements TimelineEntryInvitationOpenedShape {
  @ApiProperty({ type: String, format: 'date-time' })
  at!: TimelineEntryInvitationOpenedShape['at'];

  @ApiProperty({ enum: ['invitation_opened'] })
  kind!: TimelineEntryInvitationOpenedShape['kind'];

  @ApiProperty({ type: String, format: 'uuid' })
  invitationId!: TimelineEntryInvitationOpenedShape['invitationId'];

  @ApiProperty({ type: String })
  wave!: TimelineEntryInvitationOpenedShape['wave'];
}

@ApiSchema({ name: 'TimelineEntrySms' })
export class TimelineEntrySmsResponse implements TimelineEntrySmsShape {
  @ApiProperty({ type: String, format: 'date-time' })
  at!: TimelineEntrySmsShape['at'];

  @ApiProperty({ enum: ['sms'] })
  kind!: TimelineEntrySmsShape['kind'];

  @ApiProperty({ type: String, format: 'uuid' })
  invitationId!: TimelineEntrySmsShape['invitationId'];

  @ApiProperty({ type: String, format: 'uuid' })
  smsMessageId!: TimelineEntrySmsShape['smsMessageId'];

  @ApiProperty({ enum: ['invitation', 'reminder'] })
  smsKind!: TimelineEntrySmsShape['smsKind'];

  @ApiProperty({ enum: [...SMS_STATUSES] })
  status!: TimelineEntrySmsShape['status'];

  @ApiProperty({ type: String, nullable: true })
  errorCode!: TimelineEntrySmsShape['errorCode'];
}

@ApiSchema({ name: 'TimelineEntryInvitationPlanned' })
export class TimelineEntryInvitationPlannedResponse implements TimelineEntryInvitationPlannedShape {
  @ApiProperty({ type: String, format: 'date-time' })
  at!: TimelineEntryInvitationPlannedShape['at'];

  @ApiProperty({ enum: ['invitation_planned'] })
  kind!: TimelineEntryInvitationPlannedShape['kind'];

  @ApiProperty({ type: String, format: 'uuid' })
  invitationId!: TimelineEntryInvitationPlannedShape['invitationId'];

  @ApiProperty({ type: String })
  wave!: TimelineEntryInvitationPlannedShape['wave'];

  @ApiProperty({ type: String, format: 'date-time' })
  dueAt!: TimelineEntryInvitationPlannedShape['dueAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deferredFrom!: TimelineEntryInvitationPlannedShape['deferredFrom'];
}

@ApiSchema({ name: 'TimelineEntryEnrolled' })
export class TimelineEntryEnrolledResponse implements TimelineEntryEnrolledShape {
  @ApiProperty({ type: String, format: 'date-time' })
  at!: TimelineEntryEnrolledShape['at'];

  @ApiProperty({ enum: ['enrolled'] })
  kind!: TimelineEntryEnrolledShape['kind'];

  @ApiProperty({ type: String, format: 'uuid' })
  parentId!: TimelineEntryEnrolledShape['parentId'];
}

/** The variants of a timeline entry, registered on the controller (they are only reached through `oneOf`). */
export const TIMELINE_ENTRY_MODELS = [
  TimelineEntryEnrolledResponse,
  TimelineEntryInvitationPlannedResponse,
  TimelineEntrySmsResponse,
  TimelineEntryInvitationOpenedResponse,
  TimelineEntryInvitationExpiredResponse,
  TimelineEntryResponseDto,
  TimelineEntryAlertResponse,
  TimelineEntryFollowUpResponse,
];

@ApiSchema({ name: 'ParentTimeline' })
export class ParentTimelineResponse implements ParentTimeline {
  @ApiProperty({ type: String, format: 'uuid' })
  parentId!: ParentTimeline['parentId'];

  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [
        { $ref: getSchemaPath(TimelineEntryEnrolledResponse) },
        { $ref: getSchemaPath(TimelineEntryInvitationPlannedResponse) },
        { $ref: getSchemaPath(TimelineEntrySmsResponse) },
        { $ref: getSchemaPath(TimelineEntryInvitationOpenedResponse) },
        { $ref: getSchemaPath(TimelineEntryInvitationExpiredResponse) },
        { $ref: getSchemaPath(TimelineEntryResponseDto) },
        { $ref: getSchemaPath(TimelineEntryAlertResponse) },
        { $ref: getSchemaPath(TimelineEntryFollowUpResponse) },
      ],
    },
    description: 'Oldest first; `kind` tells which shape each entry has.',
  })
  entries!: ParentTimeline['entries'];
}
