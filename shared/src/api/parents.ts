/**
 * Enrolment, parents and the SMS pipeline as the console sees them (`/api/parents`, `/api/dev/outbox/sms`).
 * Dates are ISO strings: calendar dates "YYYY-MM-DD", instants full ISO 8601 (UTC).
 */
import type { ParentRole } from '../roles.js';
import type { AlertSeverity, EpdsThresholds } from '../organisation-settings.js';
import type { ContactChannel, ContactOutcome } from './alerts.js';
import type {
  AlertReason,
  CloseOutcome,
  EpdsBand,
  InvitationStatus,
  ParentStatus,
  ReferralTarget,
  SmsKind,
  SmsStatus,
} from '../statuses.js';

export interface ConsentInput {
  /** Must be true: enrolment records that the parent agreed. */
  given: boolean;
  /** Version of the consent text shown to the parent, e.g. "2026-01". */
  textVersion: string;
}

/** `POST /api/parents`. Exactly one of `birthDate` and `expectedTermDate`. */
export interface EnrolParentRequest {
  firstName: string;
  lastName: string;
  /** Mobile number, national ("06 12 34 56 78") or international ("+590 690 12 34 56"); stored as E.164. */
  phone: string;
  role: ParentRole;
  /** A language with a validated EPDS ("fr", "en"). */
  language: string;
  /** Child's birth date "YYYY-MM-DD": not in the future, not older than a year. */
  birthDate?: string;
  /** Antenatal enrolment: expected term "YYYY-MM-DD", from a month ago to ten months ahead. */
  expectedTermDate?: string;
  /** A user of the same organisation; defaults to the enrolling professional. */
  referentUserId?: string;
  consent: ConsentInput;
}

/**
 * `PATCH /api/parents/:id`: any subset. `birthDate` can be recorded once on an antenatal enrolment (it plans
 * the waves then); a recorded birth date cannot be changed (409 `birth_date_already_recorded`).
 */
export interface UpdateParentRequest {
  firstName?: string;
  lastName?: string;
  phone?: string;
  role?: ParentRole;
  language?: string;
  birthDate?: string;
  expectedTermDate?: string;
  referentUserId?: string;
}

export interface NextInvitation {
  /** @format uuid */
  invitationId: string;
  /** "day7", "day42" or "adhoc". */
  wave: string;
  /** @format date-time */
  dueAt: string;
  /**
   * The nominal time when quiet hours, a Sunday or a holiday moved it; null otherwise.
   * @format date-time
   */
  deferredFrom: string | null;
}

/** One row of `GET /api/parents`. */
export interface ParentSummary {
  id: string;
  firstName: string;
  lastName: string;
  /**
   * E.164, e.g. "+33612345678".
   * @example +33612345678
   */
  phone: string;
  role: ParentRole;
  language: string;
  status: ParentStatus;
  /** @format date */
  birthDate: string | null;
  /** @format date */
  expectedTermDate: string | null;
  /** @format uuid */
  referentUserId: string | null;
  /** @format date-time */
  createdAt: string;
  /** The next invitation still to be sent, if any. */
  nextInvitation: NextInvitation | null;
}

/** The shortest name search (`q` that is not a phone number): one letter would match too many parents. */
export const NAME_SEARCH_MIN_LENGTH = 2;

/**
 * `GET /api/parents?q=&status=&page=&pageSize=`: `q` is a phone number or the start of a first or last name
 * (at least 2 letters; case and accents ignored; 400 naming `q` when shorter).
 */
export interface ParentListResponse {
  items: ParentSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface SmsSummary {
  id: string;
  kind: SmsKind;
  status: SmsStatus;
  /** @format date-time */
  dueAt: string;
  /** @format date-time */
  deferredFrom: string | null;
  /** @format date-time */
  sentAt: string | null;
  attempts: number;
  segments: number | null;
  encoding: string | null;
  errorCode: string | null;
}

export interface InvitationSummary {
  id: string;
  wave: string;
  status: InvitationStatus;
  /** @format date-time */
  dueAt: string;
  /** @format date-time */
  deferredFrom: string | null;
  /** @format date-time */
  sentAt: string | null;
  /** @format date-time */
  expiresAt: string | null;
  remindersSent: number;
  /** @format date-time */
  completedAt: string | null;
  sms: SmsSummary[];
}

/** `GET /api/parents/:id` (audited read). */
export interface ParentDetail extends ParentSummary {
  consent: {
    recordedBy: string;
    /** @format date-time */
    recordedAt: string;
    textVersion: string;
  };
  /** @format date-time */
  statusChangedAt: string | null;
  invitations: InvitationSummary[];
  /**
   * The household (parents of the same birth) this parent belongs to, if linked.
   * @format uuid
   */
  householdId: string | null;
  /** The other parent(s) of the household: waves and result bands only, never their answers. */
  household: HouseholdMember[];
}

/** Another parent of the household, as shown beside a parent: no answers, no score, only status and bands. */
export interface HouseholdMember {
  /** @format uuid */
  id: string;
  firstName: string;
  lastName: string;
  role: ParentRole;
  status: ParentStatus;
  invitations: HouseholdMemberInvitation[];
  results: HouseholdMemberResult[];
}

export interface HouseholdMemberInvitation {
  wave: string;
  status: InvitationStatus;
  /** @format date-time */
  dueAt: string;
  /** @format date-time */
  completedAt: string | null;
}

export interface HouseholdMemberResult {
  wave: string;
  band: EpdsBand;
  /** @format date-time */
  receivedAt: string;
}

/** `POST /api/households`: the parents of one birth enrolled together (each with their own phone and consent). */
export interface EnrolHouseholdRequest {
  parents: EnrolParentRequest[];
}

export interface HouseholdResponse {
  /** @format uuid */
  householdId: string;
  parents: ParentDetail[];
}

/** `POST /api/parents/:id/household`: links another parent of the same organisation and birth. */
export interface LinkHouseholdRequest {
  parentId: string;
}

/** `POST /api/parents/:id/invitations`: an ad-hoc invitation, sent now or at the next allowed time. */
export interface AdhocInvitationResponse {
  invitation: InvitationSummary;
}

/** The EPDS totals of one parent across waves, against the organisation's thresholds for the parent's role. */
export interface ParentScoreTrend {
  role: ParentRole;
  /** The organisation's for this role: moderate from `moderate`, high from `high` (EPDS total, 0..30). */
  thresholds: EpdsThresholds;
  /** @example 30 */
  maxScore: number;
  /** One point per answered questionnaire, oldest first. */
  points: ParentScorePoint[];
  /** The next wave still to come (a placeholder on the chart), if any. */
  next: ParentScoreNextWave | null;
}

export interface ParentScorePoint {
  /** @example day7 */
  wave: string;
  score: number;
  band: EpdsBand;
  /** @format date-time */
  at: string;
}

export interface ParentScoreNextWave {
  /** @example day42 */
  wave: string;
  /** @format date-time */
  dueAt: string;
}

export const PARENT_HISTORY_KINDS = [
  'enrolled',
  'updated',
  'household_linked',
  'adhoc_invitation',
  'sms',
  'opened',
  'response',
  'expired',
  'alert',
  'contact_requested',
  'severity_raised',
  'no_response',
  'escalated',
  'sms_undelivered',
  'sms_resolved',
  'paged',
  'page_acknowledged',
  'acknowledged',
  'assigned',
  'note',
  'contact_attempt',
  'referral',
  'in_care',
  'closed',
  'withdrawn',
  'opted_out',
  'opted_in',
] as const;
export type ParentHistoryKind = (typeof PARENT_HISTORY_KINDS)[number];

/** Who did something: a colleague by name, or null when it was the parent or Lien itself. */
export interface HistoryActor {
  id: string;
  /** Display name (empty if the account is gone). */
  name: string;
}

/** One thing that happened to a parent. Fields that do not apply to the kind are null. */
export interface ParentHistoryEvent {
  /** Stable and unique within the history (kind and source row). */
  id: string;
  /** @format date-time */
  at: string;
  kind: ParentHistoryKind;
  /** Null: the parent or Lien. */
  actor: HistoryActor | null;
  wave: string | null;
  /** @format uuid */
  alertId: string | null;
  sms: ParentHistorySms | null;
  result: ParentHistoryResult | null;
  severity: AlertSeverity | null;
  /** alert: why it was raised (score, item 10, anxiety…). */
  reasons: AlertReason[] | null;
  /** contact_attempt: how and whether the parent was reached. */
  contact: ParentHistoryContact | null;
  /** referral: where to; `resourceName` when chosen from the referral directory. */
  referral: ParentHistoryReferral | null;
  /**
   * in_care: the day care began (YYYY-MM-DD), when given.
   * @format date
   */
  careStartedOn: string | null;
  closeOutcome: CloseOutcome | null;
  /** assigned: the colleague now holding the alert. */
  assignee: HistoryActor | null;
  /** updated: the fields changed (names, never values). */
  fields: string[] | null;
  /** The professional's free-text note (decrypted for this read). */
  note: string | null;
}

export interface ParentHistorySms {
  kind: SmsKind;
  status: SmsStatus;
  errorCode: string | null;
}

export interface ParentHistoryResult {
  score: number;
  band: EpdsBand;
  item10Positive: boolean;
  anxietyFlag: boolean;
}

export interface ParentHistoryContact {
  outcome: ContactOutcome;
  channel: ContactChannel;
}

export interface ParentHistoryReferral {
  to: ReferralTarget;
  /** The referral directory entry, when chosen. */
  resourceName: string | null;
}

/** The details of a history line, none set: each kind of line sets its own. */
export const NO_HISTORY_DETAILS = {
  actor: null,
  wave: null,
  alertId: null,
  sms: null,
  result: null,
  severity: null,
  reasons: null,
  contact: null,
  referral: null,
  careStartedOn: null,
  closeOutcome: null,
  assignee: null,
  fields: null,
  note: null,
} as const satisfies Omit<ParentHistoryEvent, 'id' | 'at' | 'kind'>;

/** An SMS waiting for its time: shown apart from what happened. */
export interface PlannedSms {
  id: string;
  kind: SmsKind;
  wave: string;
  /** @format date-time */
  dueAt: string;
  /**
   * The nominal time when quiet hours, a Sunday or a holiday moved it; null otherwise.
   * @format date-time
   */
  deferredFrom: string | null;
}

/** `GET /api/parents/:id/history` (audited read): the score trend, what happened (oldest first) and what is planned. */
export interface ParentHistory {
  /** @format uuid */
  parentId: string;
  trend: ParentScoreTrend;
  /** Oldest first. */
  events: ParentHistoryEvent[];
  /** Soonest first. */
  planned: PlannedSms[];
}

/** `GET /api/dev/outbox/sms`: what the built-in provider "sent" (only when Twilio is not configured). */
export interface DevOutboxSms {
  id: string;
  /** @format uuid */
  smsMessageId: string;
  /** @format uuid */
  parentId: string | null;
  kind: SmsKind | null;
  /** Masked number ("+336******78"): the outbox is a demo tool, not a second copy of the phone. */
  to: string;
  sender: string;
  body: string;
  /** The questionnaire link found in the body. */
  link: string | null;
  /** @format date-time */
  createdAt: string;
}

export interface DevOutboxResponse {
  items: DevOutboxSms[];
}
