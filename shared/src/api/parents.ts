/**
 * Enrolment, parents and the SMS pipeline as the console sees them (`/api/parents`, `/api/dev/outbox/sms`).
 * Dates are ISO strings: calendar dates "YYYY-MM-DD", instants full ISO 8601 (UTC).
 */
import type { ParentRole } from '../roles.js';
import type { EpdsBand, InvitationStatus, ParentStatus, SmsKind, SmsStatus } from '../statuses.js';

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
  invitationId: string;
  /** "day7", "day42" or "adhoc". */
  wave: string;
  dueAt: string;
  /** The nominal time when quiet hours, a Sunday or a holiday moved it; null otherwise. */
  deferredFrom: string | null;
}

/** One row of `GET /api/parents`. */
export interface ParentSummary {
  id: string;
  firstName: string;
  lastName: string;
  /** E.164, e.g. "+33612345678". */
  phone: string;
  role: ParentRole;
  language: string;
  status: ParentStatus;
  birthDate: string | null;
  expectedTermDate: string | null;
  referentUserId: string | null;
  createdAt: string;
  /** The next invitation still to be sent, if any. */
  nextInvitation: NextInvitation | null;
}

/** `GET /api/parents?q=&status=&page=&pageSize=`: `q` is a phone number or an exact first or last name. */
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
  dueAt: string;
  deferredFrom: string | null;
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
  dueAt: string;
  deferredFrom: string | null;
  sentAt: string | null;
  expiresAt: string | null;
  remindersSent: number;
  completedAt: string | null;
  sms: SmsSummary[];
}

/** `GET /api/parents/:id` (audited read). */
export interface ParentDetail extends ParentSummary {
  consent: { recordedBy: string; recordedAt: string; textVersion: string };
  statusChangedAt: string | null;
  invitations: InvitationSummary[];
  /** The household (parents of the same birth) this parent belongs to, if linked. */
  householdId: string | null;
  /** The other parent(s) of the household: waves and result bands only, never their answers. */
  household: HouseholdMember[];
}

/** Another parent of the household, as shown beside a parent: no answers, no score, only status and bands. */
export interface HouseholdMember {
  id: string;
  firstName: string;
  lastName: string;
  role: ParentRole;
  status: ParentStatus;
  invitations: Array<{ wave: string; status: InvitationStatus; dueAt: string; completedAt: string | null }>;
  results: Array<{ wave: string; band: EpdsBand; receivedAt: string }>;
}

/** `POST /api/households`: the parents of one birth enrolled together (each with their own phone and consent). */
export interface EnrolHouseholdRequest {
  parents: EnrolParentRequest[];
}

export interface HouseholdResponse {
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

/** `GET /api/dev/outbox/sms`: what the built-in provider "sent" (only when Twilio is not configured). */
export interface DevOutboxSms {
  id: string;
  smsMessageId: string;
  parentId: string | null;
  kind: SmsKind | null;
  /** Masked number ("+336******78"): the outbox is a demo tool, not a second copy of the phone. */
  to: string;
  sender: string;
  body: string;
  /** The questionnaire link found in the body. */
  link: string | null;
  createdAt: string;
}

export interface DevOutboxResponse {
  items: DevOutboxSms[];
}
