import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import {
  ALERT_LIST_PARENT_NAMES,
  ALERT_EVENT_TYPES,
  ALERT_REASONS,
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  CLOSE_OUTCOMES,
  EPDS_BANDS,
  PARENT_ROLES,
  RESPONSE_CHANNELS,
  SMS_STATUSES,
  type SystemAlertEventType,
} from '@lien/shared';
import type {
  AlertDetail,
  AlertOtherParent,
  AlertEventResponse,
  AlertListItem,
  AlertListResponse,
  AlertParentIdentity,
  AlertResponseDetail,
  AlertResponseItem,
  AlertStreamMessage,
  AlertStreamTicketResponse,
  AlertSummary,
  FollowUpEventView,
  SmsHistoryItem,
} from '@lien/shared';
import { ContactRequestViewResponse } from '../../screening/dto/screening.responses.js';

/** Every event type the system records itself: a Record so that a new one fails to compile until listed. */
const SYSTEM_EVENT_TYPES: Record<SystemAlertEventType, true> = {
  created: true,
  severity_raised: true,
  response_added: true,
  no_response: true,
  escalated: true,
  sms_undelivered: true,
  sms_resolved: true,
  contact_requested: true,
  paged: true,
  page_sent: true,
  page_failed: true,
  page_fallback: true,
  page_acknowledged: true,
};
/** Every follow-up event type, posted or recorded by the system (the alert detail shows them all). */
export const FOLLOW_UP_EVENT_TYPES = [...ALERT_EVENT_TYPES, ...Object.keys(SYSTEM_EVENT_TYPES)];

type AlertListResponseCountsBySeverityShape = NonNullable<AlertListResponse['countsBySeverity']>;
type SmsHistoryItemStatusHistoryItemShape = NonNullable<SmsHistoryItem['statusHistory'][number]>;

@ApiSchema({ name: 'SmsHistoryItemStatusHistoryItem' })
export class SmsHistoryItemStatusHistoryItemResponse implements SmsHistoryItemStatusHistoryItemShape {
  @ApiProperty({ enum: [...SMS_STATUSES] })
  status!: SmsHistoryItemStatusHistoryItemShape['status'];

  @ApiProperty({ type: String, format: 'date-time' })
  at!: SmsHistoryItemStatusHistoryItemShape['at'];

  @ApiPropertyOptional({ type: String })
  errorCode?: SmsHistoryItemStatusHistoryItemShape['errorCode'];
}

@ApiSchema({ name: 'AlertResponseItem' })
export class AlertResponseItemResponse implements AlertResponseItem {
  @ApiProperty({ type: Number })
  number!: AlertResponseItem['number'];

  @ApiProperty({ type: Number, description: 'Chosen option index (0..3, canonical order).' })
  answer!: AlertResponseItem['answer'];

  @ApiProperty({ type: Number })
  points!: AlertResponseItem['points'];
}

@ApiSchema({ name: 'FollowUpEventView' })
export class FollowUpEventViewResponse implements FollowUpEventView {
  @ApiProperty({ type: String })
  id!: FollowUpEventView['id'];

  @ApiProperty({ enum: FOLLOW_UP_EVENT_TYPES })
  type!: FollowUpEventView['type'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId!: FollowUpEventView['actorId'];

  @ApiProperty({ type: 'object', additionalProperties: true })
  payload!: FollowUpEventView['payload'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: FollowUpEventView['createdAt'];
}

@ApiSchema({ name: 'SmsHistoryItem' })
export class SmsHistoryItemResponse implements SmsHistoryItem {
  @ApiProperty({ type: String })
  id!: SmsHistoryItem['id'];

  @ApiProperty({ type: String, format: 'uuid' })
  invitationId!: SmsHistoryItem['invitationId'];

  @ApiProperty({ enum: ['invitation', 'reminder'] })
  kind!: SmsHistoryItem['kind'];

  @ApiProperty({ enum: [...SMS_STATUSES] })
  status!: SmsHistoryItem['status'];

  @ApiProperty({ type: String, format: 'date-time' })
  dueAt!: SmsHistoryItem['dueAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt!: SmsHistoryItem['sentAt'];

  @ApiProperty({ type: String, nullable: true })
  errorCode!: SmsHistoryItem['errorCode'];

  @ApiProperty({ type: () => SmsHistoryItemStatusHistoryItemResponse, isArray: true })
  statusHistory!: SmsHistoryItem['statusHistory'];
}

@ApiSchema({ name: 'AlertResponseDetail' })
export class AlertResponseDetailResponse implements AlertResponseDetail {
  @ApiProperty({ type: String })
  id!: AlertResponseDetail['id'];

  @ApiProperty({ type: String, format: 'uuid' })
  invitationId!: AlertResponseDetail['invitationId'];

  @ApiProperty({ type: String })
  wave!: AlertResponseDetail['wave'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: AlertResponseDetail['createdAt'];

  @ApiProperty({ type: String })
  instrumentId!: AlertResponseDetail['instrumentId'];

  @ApiProperty({ type: String })
  instrumentVersion!: AlertResponseDetail['instrumentVersion'];

  @ApiProperty({ type: String })
  language!: AlertResponseDetail['language'];

  @ApiProperty({ enum: [...RESPONSE_CHANNELS] })
  channel!: AlertResponseDetail['channel'];

  @ApiProperty({ type: Number })
  score!: AlertResponseDetail['score'];

  @ApiProperty({ enum: [...EPDS_BANDS] })
  band!: AlertResponseDetail['band'];

  @ApiProperty({ type: Boolean })
  item10Positive!: AlertResponseDetail['item10Positive'];

  @ApiProperty({ type: Number })
  anxietyScore!: AlertResponseDetail['anxietyScore'];

  @ApiProperty({ type: Boolean })
  anxietyFlag!: AlertResponseDetail['anxietyFlag'];

  @ApiProperty({ type: () => AlertResponseItemResponse, isArray: true })
  items!: AlertResponseDetail['items'];
}

/** The parent as the alert page first shows it: no name, no phone. The identity is read separately (GET /api/parents/:id), on an explicit reveal, and that read is what the audit log records. */
@ApiSchema({ name: 'AlertParentIdentity' })
export class AlertParentIdentityResponse implements AlertParentIdentity {
  @ApiProperty({ type: String })
  id!: AlertParentIdentity['id'];

  @ApiProperty({ enum: [...PARENT_ROLES] })
  role!: AlertParentIdentity['role'];

  @ApiProperty({ type: String })
  language!: AlertParentIdentity['language'];

  @ApiProperty({ type: String, format: 'date', nullable: true })
  birthDate!: AlertParentIdentity['birthDate'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  referentUserId!: AlertParentIdentity['referentUserId'];

  @ApiProperty({ type: String })
  status!: AlertParentIdentity['status'];
}

/** Whether the other parent of the household is enrolled, and already invited (a questionnaire planned or open). */
@ApiSchema({ name: 'AlertOtherParent' })
export class AlertOtherParentResponse implements AlertOtherParent {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  parentId!: AlertOtherParent['parentId'];

  @ApiProperty({ enum: [...PARENT_ROLES], nullable: true })
  role!: AlertOtherParent['role'];

  @ApiProperty({ type: Boolean })
  enrolled!: AlertOtherParent['enrolled'];

  @ApiProperty({ type: Boolean })
  invited!: AlertOtherParent['invited'];
}

@ApiSchema({ name: 'AlertListResponseCountsBySeverity' })
export class AlertListResponseCountsBySeverityResponse implements AlertListResponseCountsBySeverityShape {
  @ApiProperty({ type: Number })
  urgent!: AlertListResponseCountsBySeverityShape['urgent'];

  @ApiProperty({ type: Number })
  high!: AlertListResponseCountsBySeverityShape['high'];

  @ApiProperty({ type: Number })
  moderate!: AlertListResponseCountsBySeverityShape['moderate'];

  @ApiProperty({ type: Number })
  low!: AlertListResponseCountsBySeverityShape['low'];
}

/** One alert without names: the live feed, an event's answer and the detail's header. */
@ApiSchema({ name: 'AlertSummary' })
export class AlertSummaryResponse implements AlertSummary {
  @ApiProperty({ type: String })
  id!: AlertSummary['id'];

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null on a contact-request alert until the request is turned into an enrolment.',
  })
  parentId!: AlertSummary['parentId'];

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The self-screening "be contacted" request behind the alert, if any.',
  })
  contactRequestId?: AlertSummary['contactRequestId'];

  @ApiProperty({ enum: [...ALERT_SEVERITIES] })
  severity!: AlertSummary['severity'];

  @ApiProperty({ enum: [...ALERT_REASONS], isArray: true })
  reasons!: AlertSummary['reasons'];

  @ApiProperty({ enum: [...ALERT_STATUSES] })
  status!: AlertSummary['status'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  assigneeId!: AlertSummary['assigneeId'];

  @ApiProperty({ type: String, format: 'date-time' })
  acknowledgeDueAt!: AlertSummary['acknowledgeDueAt'];

  @ApiProperty({ type: String, format: 'date-time' })
  contactDueAt!: AlertSummary['contactDueAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  acknowledgedAt!: AlertSummary['acknowledgedAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  firstContactAt!: AlertSummary['firstContactAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  escalatedAt!: AlertSummary['escalatedAt'];

  @ApiProperty({
    type: Boolean,
    description: 'A deadline has passed with its step (acknowledge / first contact) not done.',
  })
  overdue!: AlertSummary['overdue'];

  @ApiProperty({ type: Number })
  contactAttempts!: AlertSummary['contactAttempts'];

  @ApiProperty({ enum: [...CLOSE_OUTCOMES], nullable: true })
  outcome!: AlertSummary['outcome'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: AlertSummary['createdAt'];

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: AlertSummary['updatedAt'];
}

/** What `GET /api/alerts/stream` pushes (`data:` of each server-sent event, JSON). */
@ApiSchema({ name: 'AlertStreamMessage' })
export class AlertStreamMessageResponse implements AlertStreamMessage {
  @ApiProperty({ enum: ['alert.created', 'alert.updated'] })
  type!: AlertStreamMessage['type'];

  @ApiProperty({ type: () => AlertSummaryResponse })
  alert!: AlertStreamMessage['alert'];
}

/** `POST /api/alerts/:id/events` answer: the alert as it now stands and the recorded event. */
@ApiSchema({ name: 'AlertEventResponse' })
export class AlertEventResponseDto implements AlertEventResponse {
  @ApiProperty({ type: () => AlertSummaryResponse })
  alert!: AlertEventResponse['alert'];

  @ApiProperty({ type: () => FollowUpEventViewResponse })
  event!: AlertEventResponse['event'];

  @ApiProperty({
    enum: [...ALERT_EVENT_TYPES],
    isArray: true,
  })
  allowedEvents!: AlertEventResponse['allowedEvents'];
}

@ApiSchema({ name: 'AlertDetail' })
export class AlertDetailResponse implements AlertDetail {
  @ApiProperty({
    type: () => AlertParentIdentityResponse,
    nullable: true,
    description: 'Null on a contact-request alert (see `contactRequest`).',
  })
  parent!: AlertDetail['parent'];

  @ApiPropertyOptional({ type: () => ContactRequestViewResponse, nullable: true })
  contactRequest?: AlertDetail['contactRequest'];

  @ApiProperty({
    type: () => AlertOtherParentResponse,
    description: 'The other parent of the birth: offer to invite them (`POST /api/alerts/:id/other-parent`).',
  })
  otherParent!: AlertDetail['otherParent'];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { '6f1c…': 'Claire Dubois' },
    description:
      'Display names of the professionals it names (the assignee, the events’ actors), by user id.',
  })
  userNames!: AlertDetail['userNames'];

  @ApiProperty({ type: () => AlertResponseDetailResponse, isArray: true })
  responses!: AlertDetail['responses'];

  @ApiProperty({ type: () => SmsHistoryItemResponse, isArray: true })
  sms!: AlertDetail['sms'];

  @ApiProperty({ type: () => FollowUpEventViewResponse, isArray: true })
  events!: AlertDetail['events'];

  @ApiProperty({
    enum: [...ALERT_EVENT_TYPES],
    isArray: true,
    description: 'Event types allowed in the current status (what the console offers).',
  })
  allowedEvents!: AlertDetail['allowedEvents'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  referredAt!: AlertDetail['referredAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  inCareAt!: AlertDetail['inCareAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt!: AlertDetail['closedAt'];

  @ApiProperty({ type: String })
  id!: AlertDetail['id'];

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null on a contact-request alert until the request is turned into an enrolment.',
  })
  parentId!: AlertDetail['parentId'];

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The self-screening "be contacted" request behind the alert, if any.',
  })
  contactRequestId?: AlertDetail['contactRequestId'];

  @ApiProperty({ enum: [...ALERT_SEVERITIES] })
  severity!: AlertDetail['severity'];

  @ApiProperty({ enum: [...ALERT_REASONS], isArray: true })
  reasons!: AlertDetail['reasons'];

  @ApiProperty({ enum: [...ALERT_STATUSES] })
  status!: AlertDetail['status'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  assigneeId!: AlertDetail['assigneeId'];

  @ApiProperty({ type: String, format: 'date-time' })
  acknowledgeDueAt!: AlertDetail['acknowledgeDueAt'];

  @ApiProperty({ type: String, format: 'date-time' })
  contactDueAt!: AlertDetail['contactDueAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  acknowledgedAt!: AlertDetail['acknowledgedAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  firstContactAt!: AlertDetail['firstContactAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  escalatedAt!: AlertDetail['escalatedAt'];

  @ApiProperty({
    type: Boolean,
    description: 'A deadline has passed with its step (acknowledge / first contact) not done.',
  })
  overdue!: AlertDetail['overdue'];

  @ApiProperty({ type: Number })
  contactAttempts!: AlertDetail['contactAttempts'];

  @ApiProperty({ enum: [...CLOSE_OUTCOMES], nullable: true })
  outcome!: AlertDetail['outcome'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: AlertDetail['createdAt'];

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: AlertDetail['updatedAt'];
}

@ApiSchema({ name: 'AlertListResponse' })
export class AlertListResponseDto implements AlertListResponse {
  @ApiProperty({
    type: () => AlertListItemResponse,
    isArray: true,
    description:
      'The caller’s own overdue alerts first, then the other overdue ones, then the rest; in each, the most severe first, then the nearest contact deadline.',
  })
  items!: AlertListResponse['items'];

  @ApiProperty({ enum: [...ALERT_LIST_PARENT_NAMES], description: 'How parentLabel names parents.' })
  parentNames!: AlertListResponse['parentNames'];

  @ApiProperty({ type: Number })
  page!: AlertListResponse['page'];

  @ApiProperty({ type: Number })
  pageSize!: AlertListResponse['pageSize'];

  @ApiProperty({ type: Number })
  total!: AlertListResponse['total'];

  @ApiProperty({
    type: () => AlertListResponseCountsBySeverityResponse,
    description: "Counts with the same filters except `severity`, for the dashboard's tabs.",
  })
  countsBySeverity!: AlertListResponse['countsBySeverity'];
}

/** One dashboard row: the summary and what lets a professional recognise the case (an audited read). */
@ApiSchema({ name: 'AlertListItem' })
export class AlertListItemResponse extends AlertSummaryResponse implements AlertListItem {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The parent’s initials ("C. M.") or full name, per settings.alertListParentName; null on a contact-request alert and for a partner key.',
  })
  parentLabel!: AlertListItem['parentLabel'];

  @ApiProperty({ enum: [...PARENT_ROLES], nullable: true })
  parentRole!: AlertListItem['parentRole'];

  @ApiProperty({ type: String, nullable: true, description: 'Wave key of the latest answer (e.g. "day7").' })
  wave!: AlertListItem['wave'];

  @ApiProperty({ type: Number, nullable: true, description: 'EPDS score of the latest answer.' })
  score!: AlertListItem['score'];

  @ApiProperty({ enum: [...EPDS_BANDS], nullable: true })
  band!: AlertListItem['band'];

  @ApiProperty({ type: String, nullable: true, description: 'Display name of the professional holding it.' })
  assigneeName!: AlertListItem['assigneeName'];
}

/** `POST /api/alerts/stream-ticket`: a single-use ticket for `GET /api/alerts/stream?ticket=`, valid `expiresIn` s. */
@ApiSchema({ name: 'AlertStreamTicketResponse' })
export class AlertStreamTicketResponseDto implements AlertStreamTicketResponse {
  @ApiProperty({ type: String })
  ticket!: AlertStreamTicketResponse['ticket'];

  @ApiProperty({ type: Number })
  expiresIn!: AlertStreamTicketResponse['expiresIn'];
}
