import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  ALERT_REASONS,
  ALERT_SEVERITIES,
  CLOSE_OUTCOMES,
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  PARENT_HISTORY_KINDS,
  REFERRAL_TARGETS,
  type HistoryActor,
  type ParentHistory,
  type ParentHistoryEvent,
  type ParentScoreTrend,
  type PlannedSms,
  EPDS_BANDS,
  INVITATION_STATUSES,
  PARENT_ROLES,
  PARENT_STATUSES,
  SMS_STATUSES,
  type AdhocInvitationResponse,
  type HouseholdMember,
  type HouseholdResponse,
  type InvitationSummary,
  type InviteOtherParentResponse,
  type NextInvitation,
  type ParentDetail,
  type ParentListResponse,
  type ParentSummary,
  type SmsSummary,
} from '@lien/shared';

type ParentDetailConsentShape = NonNullable<ParentDetail['consent']>;
type HouseholdMemberInvitationShape = HouseholdMember['invitations'][number];
type HouseholdMemberResultShape = HouseholdMember['results'][number];

@ApiSchema({ name: 'SmsSummary' })
export class SmsSummaryResponse implements SmsSummary {
  @ApiProperty({ type: String })
  id!: SmsSummary['id'];

  @ApiProperty({ enum: ['invitation', 'reminder'] })
  kind!: SmsSummary['kind'];

  @ApiProperty({ enum: [...SMS_STATUSES] })
  status!: SmsSummary['status'];

  @ApiProperty({ type: String, format: 'date-time' })
  dueAt!: SmsSummary['dueAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deferredFrom!: SmsSummary['deferredFrom'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt!: SmsSummary['sentAt'];

  @ApiProperty({ type: Number })
  attempts!: SmsSummary['attempts'];

  @ApiProperty({ type: Number, nullable: true })
  segments!: SmsSummary['segments'];

  @ApiProperty({ type: String, nullable: true })
  encoding!: SmsSummary['encoding'];

  @ApiProperty({ type: String, nullable: true })
  errorCode!: SmsSummary['errorCode'];
}

/** One row of `GET /api/parents`. */
@ApiSchema({ name: 'ParentSummary' })
export class ParentSummaryResponse implements ParentSummary {
  @ApiProperty({ type: String })
  id!: ParentSummary['id'];

  @ApiProperty({ type: String })
  firstName!: ParentSummary['firstName'];

  @ApiProperty({ type: String })
  lastName!: ParentSummary['lastName'];

  @ApiProperty({ type: String, description: 'E.164, e.g. "+33612345678".', example: '+33612345678' })
  phone!: ParentSummary['phone'];

  @ApiProperty({ enum: [...PARENT_ROLES] })
  role!: ParentSummary['role'];

  @ApiProperty({ type: String })
  language!: ParentSummary['language'];

  @ApiProperty({ enum: [...PARENT_STATUSES] })
  status!: ParentSummary['status'];

  @ApiProperty({ type: String, format: 'date', nullable: true })
  birthDate!: ParentSummary['birthDate'];

  @ApiProperty({ type: String, format: 'date', nullable: true })
  expectedTermDate!: ParentSummary['expectedTermDate'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  referentUserId!: ParentSummary['referentUserId'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: ParentSummary['createdAt'];

  @ApiProperty({
    type: () => NextInvitationResponse,
    nullable: true,
    description: 'The next invitation still to be sent, if any.',
  })
  nextInvitation!: ParentSummary['nextInvitation'];
}

@ApiSchema({ name: 'NextInvitation' })
export class NextInvitationResponse implements NextInvitation {
  @ApiProperty({ type: String, format: 'uuid' })
  invitationId!: NextInvitation['invitationId'];

  @ApiProperty({ type: String, description: '"day7", "day42" or "adhoc".' })
  wave!: NextInvitation['wave'];

  @ApiProperty({ type: String, format: 'date-time' })
  dueAt!: NextInvitation['dueAt'];

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The nominal time when quiet hours, a Sunday or a holiday moved it; null otherwise.',
  })
  deferredFrom!: NextInvitation['deferredFrom'];
}

@ApiSchema({ name: 'InvitationSummary' })
export class InvitationSummaryResponse implements InvitationSummary {
  @ApiProperty({ type: String })
  id!: InvitationSummary['id'];

  @ApiProperty({ type: String })
  wave!: InvitationSummary['wave'];

  @ApiProperty({ enum: [...INVITATION_STATUSES] })
  status!: InvitationSummary['status'];

  @ApiProperty({ type: String, format: 'date-time' })
  dueAt!: InvitationSummary['dueAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deferredFrom!: InvitationSummary['deferredFrom'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt!: InvitationSummary['sentAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt!: InvitationSummary['expiresAt'];

  @ApiProperty({ type: Number })
  remindersSent!: InvitationSummary['remindersSent'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: InvitationSummary['completedAt'];

  @ApiProperty({ type: () => SmsSummaryResponse, isArray: true })
  sms!: InvitationSummary['sms'];
}

@ApiSchema({ name: 'ParentDetailConsent' })
export class ParentDetailConsentResponse implements ParentDetailConsentShape {
  @ApiProperty({ type: String })
  recordedBy!: ParentDetailConsentShape['recordedBy'];

  @ApiProperty({ type: String, format: 'date-time' })
  recordedAt!: ParentDetailConsentShape['recordedAt'];

  @ApiProperty({ type: String })
  textVersion!: ParentDetailConsentShape['textVersion'];
}

/** `POST /api/parents/:id/invitations`: an ad-hoc invitation, sent now or at the next allowed time. */
@ApiSchema({ name: 'AdhocInvitationResponse' })
export class AdhocInvitationResponseDto implements AdhocInvitationResponse {
  @ApiProperty({ type: () => InvitationSummaryResponse })
  invitation!: AdhocInvitationResponse['invitation'];
}

/** `GET /api/parents?q=&status=&page=&pageSize=`: `q` is a phone number or an exact first or last name. */
@ApiSchema({ name: 'ParentListResponse' })
export class ParentListResponseDto implements ParentListResponse {
  @ApiProperty({ type: () => ParentSummaryResponse, isArray: true })
  items!: ParentListResponse['items'];

  @ApiProperty({ type: Number })
  total!: ParentListResponse['total'];

  @ApiProperty({ type: Number })
  page!: ParentListResponse['page'];

  @ApiProperty({ type: Number })
  pageSize!: ParentListResponse['pageSize'];
}

/** `GET /api/parents/:id` (audited read). */
@ApiSchema({ name: 'ParentDetail' })
export class ParentDetailResponse implements ParentDetail {
  @ApiProperty({ type: () => ParentDetailConsentResponse })
  consent!: ParentDetail['consent'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  statusChangedAt!: ParentDetail['statusChangedAt'];

  @ApiProperty({ type: () => InvitationSummaryResponse, isArray: true })
  invitations!: ParentDetail['invitations'];

  @ApiProperty({ type: String })
  id!: ParentDetail['id'];

  @ApiProperty({ type: String })
  firstName!: ParentDetail['firstName'];

  @ApiProperty({ type: String })
  lastName!: ParentDetail['lastName'];

  @ApiProperty({ type: String, description: 'E.164, e.g. "+33612345678".' })
  phone!: ParentDetail['phone'];

  @ApiProperty({ enum: [...PARENT_ROLES] })
  role!: ParentDetail['role'];

  @ApiProperty({ type: String })
  language!: ParentDetail['language'];

  @ApiProperty({ enum: [...PARENT_STATUSES] })
  status!: ParentDetail['status'];

  @ApiProperty({ type: String, format: 'date', nullable: true })
  birthDate!: ParentDetail['birthDate'];

  @ApiProperty({ type: String, format: 'date', nullable: true })
  expectedTermDate!: ParentDetail['expectedTermDate'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  referentUserId!: ParentDetail['referentUserId'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: ParentDetail['createdAt'];

  @ApiProperty({
    type: () => NextInvitationResponse,
    nullable: true,
    description: 'The next invitation still to be sent, if any.',
  })
  nextInvitation!: ParentDetail['nextInvitation'];

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The household (parents of the same birth) this parent belongs to, if linked.',
  })
  householdId!: ParentDetail['householdId'];

  @ApiProperty({
    type: () => HouseholdMemberResponse,
    isArray: true,
    description: 'The other parent(s) of the household: waves and result bands only, never their answers.',
  })
  household!: ParentDetail['household'];
}

@ApiSchema({ name: 'HouseholdMemberInvitation' })
export class HouseholdMemberInvitationResponse implements HouseholdMemberInvitationShape {
  @ApiProperty({ type: String })
  wave!: HouseholdMemberInvitationShape['wave'];

  @ApiProperty({ enum: [...INVITATION_STATUSES] })
  status!: HouseholdMemberInvitationShape['status'];

  @ApiProperty({ type: String, format: 'date-time' })
  dueAt!: HouseholdMemberInvitationShape['dueAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: HouseholdMemberInvitationShape['completedAt'];
}

@ApiSchema({ name: 'HouseholdMemberResult' })
export class HouseholdMemberResultResponse implements HouseholdMemberResultShape {
  @ApiProperty({ type: String })
  wave!: HouseholdMemberResultShape['wave'];

  @ApiProperty({ enum: [...EPDS_BANDS] })
  band!: HouseholdMemberResultShape['band'];

  @ApiProperty({ type: String, format: 'date-time' })
  receivedAt!: HouseholdMemberResultShape['receivedAt'];
}

/** Another parent of the household, as shown beside a parent: no answers, no score, only status and bands. */
@ApiSchema({ name: 'HouseholdMember' })
export class HouseholdMemberResponse implements HouseholdMember {
  @ApiProperty({ type: String, format: 'uuid' })
  id!: HouseholdMember['id'];

  @ApiProperty({ type: String })
  firstName!: HouseholdMember['firstName'];

  @ApiProperty({ type: String })
  lastName!: HouseholdMember['lastName'];

  @ApiProperty({ enum: [...PARENT_ROLES] })
  role!: HouseholdMember['role'];

  @ApiProperty({ enum: [...PARENT_STATUSES] })
  status!: HouseholdMember['status'];

  @ApiProperty({ type: () => HouseholdMemberInvitationResponse, isArray: true })
  invitations!: HouseholdMember['invitations'];

  @ApiProperty({ type: () => HouseholdMemberResultResponse, isArray: true })
  results!: HouseholdMember['results'];
}

/** `POST /api/households`: the parents of one birth, enrolled together. */
@ApiSchema({ name: 'HouseholdResponse' })
export class HouseholdResponseDto implements HouseholdResponse {
  @ApiProperty({ type: String, format: 'uuid' })
  householdId!: HouseholdResponse['householdId'];

  @ApiProperty({ type: () => ParentDetailResponse, isArray: true })
  parents!: HouseholdResponse['parents'];
}

/** `POST /api/alerts/:id/other-parent`: the other parent, enrolled now or invited ad hoc. */
@ApiSchema({ name: 'InviteOtherParentResponse' })
export class InviteOtherParentResponseDto implements InviteOtherParentResponse {
  @ApiProperty({ type: String, format: 'uuid' })
  parentId!: InviteOtherParentResponse['parentId'];

  @ApiProperty({
    type: Boolean,
    description:
      'True when this call enrolled them (their waves are planned); false when an ad-hoc invitation was sent.',
  })
  enrolled!: InviteOtherParentResponse['enrolled'];

  @ApiProperty({ type: () => InvitationSummaryResponse, isArray: true })
  invitations!: InviteOtherParentResponse['invitations'];
}

type TrendPointShape = ParentScoreTrend['points'][number];
type TrendNextShape = NonNullable<ParentScoreTrend['next']>;
type HistorySmsShape = NonNullable<ParentHistoryEvent['sms']>;
type HistoryResultShape = NonNullable<ParentHistoryEvent['result']>;
type HistoryContactShape = NonNullable<ParentHistoryEvent['contact']>;
type HistoryReferralShape = NonNullable<ParentHistoryEvent['referral']>;

@ApiSchema({ name: 'EpdsThresholds' })
export class EpdsThresholdsResponse {
  @ApiProperty({ type: Number, description: 'Moderate band from this EPDS total.' })
  moderate!: number;

  @ApiProperty({ type: Number, description: 'High band from this EPDS total.' })
  high!: number;
}

@ApiSchema({ name: 'ParentScorePoint' })
export class ParentScorePointResponse implements TrendPointShape {
  @ApiProperty({ type: String, example: 'day7' })
  wave!: string;

  @ApiProperty({ type: Number })
  score!: number;

  @ApiProperty({ enum: [...EPDS_BANDS] })
  band!: TrendPointShape['band'];

  @ApiProperty({ type: String, format: 'date-time' })
  at!: string;
}

@ApiSchema({ name: 'ParentScoreNextWave' })
export class ParentScoreNextWaveResponse implements TrendNextShape {
  @ApiProperty({ type: String, example: 'day42' })
  wave!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  dueAt!: string;
}

@ApiSchema({ name: 'ParentScoreTrend' })
export class ParentScoreTrendResponse implements ParentScoreTrend {
  @ApiProperty({ enum: [...PARENT_ROLES] })
  role!: ParentScoreTrend['role'];

  @ApiProperty({ type: () => EpdsThresholdsResponse, description: 'The organisation’s, for this role.' })
  thresholds!: EpdsThresholdsResponse;

  @ApiProperty({ type: Number, example: 30 })
  maxScore!: number;

  @ApiProperty({ type: () => ParentScorePointResponse, isArray: true })
  points!: ParentScorePointResponse[];

  @ApiProperty({ type: () => ParentScoreNextWaveResponse, nullable: true })
  next!: ParentScoreNextWaveResponse | null;
}

@ApiSchema({ name: 'HistoryActor' })
export class HistoryActorResponse implements HistoryActor {
  @ApiProperty({ type: String })
  id!: string;

  @ApiProperty({ type: String, description: 'Display name (empty if the account is gone).' })
  name!: string;
}

@ApiSchema({ name: 'ParentHistorySms' })
export class ParentHistorySmsResponse implements HistorySmsShape {
  @ApiProperty({ enum: ['invitation', 'reminder'] })
  kind!: HistorySmsShape['kind'];

  @ApiProperty({ enum: [...SMS_STATUSES] })
  status!: HistorySmsShape['status'];

  @ApiProperty({ type: String, nullable: true })
  errorCode!: string | null;
}

@ApiSchema({ name: 'ParentHistoryResult' })
export class ParentHistoryResultResponse implements HistoryResultShape {
  @ApiProperty({ type: Number })
  score!: number;

  @ApiProperty({ enum: [...EPDS_BANDS] })
  band!: HistoryResultShape['band'];

  @ApiProperty({ type: Boolean })
  item10Positive!: boolean;

  @ApiProperty({ type: Boolean })
  anxietyFlag!: boolean;
}

@ApiSchema({ name: 'ParentHistoryContact' })
export class ParentHistoryContactResponse implements HistoryContactShape {
  @ApiProperty({ enum: [...CONTACT_OUTCOMES] })
  outcome!: HistoryContactShape['outcome'];

  @ApiProperty({ enum: [...CONTACT_CHANNELS] })
  channel!: HistoryContactShape['channel'];
}

@ApiSchema({ name: 'ParentHistoryReferral' })
export class ParentHistoryReferralResponse implements HistoryReferralShape {
  @ApiProperty({ enum: [...REFERRAL_TARGETS] })
  to!: HistoryReferralShape['to'];

  @ApiProperty({ type: String, nullable: true, description: 'The referral directory entry, when chosen.' })
  resourceName!: string | null;
}

@ApiSchema({ name: 'ParentHistoryEvent' })
export class ParentHistoryEventResponse implements ParentHistoryEvent {
  @ApiProperty({ type: String })
  id!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  at!: string;

  @ApiProperty({ enum: [...PARENT_HISTORY_KINDS] })
  kind!: ParentHistoryEvent['kind'];

  @ApiProperty({ type: () => HistoryActorResponse, nullable: true, description: 'Null: the parent or Lien.' })
  actor!: HistoryActorResponse | null;

  @ApiProperty({ type: String, nullable: true })
  wave!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  alertId!: string | null;

  @ApiProperty({ type: () => ParentHistorySmsResponse, nullable: true })
  sms!: ParentHistorySmsResponse | null;

  @ApiProperty({ type: () => ParentHistoryResultResponse, nullable: true })
  result!: ParentHistoryResultResponse | null;

  @ApiProperty({ enum: [...ALERT_SEVERITIES], nullable: true })
  severity!: ParentHistoryEvent['severity'];

  @ApiProperty({
    enum: [...ALERT_REASONS],
    isArray: true,
    nullable: true,
    description: 'alert: why it was raised.',
  })
  reasons!: ParentHistoryEvent['reasons'];

  @ApiProperty({ type: () => ParentHistoryContactResponse, nullable: true })
  contact!: ParentHistoryContactResponse | null;

  @ApiProperty({ type: () => ParentHistoryReferralResponse, nullable: true })
  referral!: ParentHistoryReferralResponse | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  careStartedOn!: string | null;

  @ApiProperty({ enum: [...CLOSE_OUTCOMES], nullable: true })
  closeOutcome!: ParentHistoryEvent['closeOutcome'];

  @ApiProperty({ type: () => HistoryActorResponse, nullable: true })
  assignee!: HistoryActorResponse | null;

  @ApiProperty({ type: String, isArray: true, nullable: true, description: 'Field names, never values.' })
  fields!: string[] | null;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
}

@ApiSchema({ name: 'PlannedSms' })
export class PlannedSmsResponse implements PlannedSms {
  @ApiProperty({ type: String })
  id!: string;

  @ApiProperty({ enum: ['invitation', 'reminder'] })
  kind!: PlannedSms['kind'];

  @ApiProperty({ type: String })
  wave!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  dueAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deferredFrom!: string | null;
}

/** `GET /api/parents/:id/history`. */
@ApiSchema({ name: 'ParentHistory' })
export class ParentHistoryResponse implements ParentHistory {
  @ApiProperty({ type: String, format: 'uuid' })
  parentId!: string;

  @ApiProperty({ type: () => ParentScoreTrendResponse })
  trend!: ParentScoreTrendResponse;

  @ApiProperty({ type: () => ParentHistoryEventResponse, isArray: true, description: 'Oldest first.' })
  events!: ParentHistoryEventResponse[];

  @ApiProperty({ type: () => PlannedSmsResponse, isArray: true, description: 'Soonest first.' })
  planned!: PlannedSmsResponse[];
}
