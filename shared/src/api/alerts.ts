import type { ParentRole } from '../roles.js';
import type { ContactRequestView } from '../screening/index.js';
import type { EnrolParentRequest, InvitationSummary } from './parents.js';
import type { AlertListParentName, AlertSeverity } from '../organisation-settings.js';
import type {
  AlertReason,
  AlertStatus,
  CloseOutcome,
  EpdsBand,
  ReferralTarget,
  ResponseChannel,
  SmsKind,
  SmsStatus,
} from '../statuses.js';

/** Alerts, follow-up workflow, live feed and the email outbox: the API's shapes (a parent's history: parents.ts). */

export const ALERT_SEVERITY_RANK: Record<AlertSeverity, number> = { urgent: 0, high: 1, moderate: 2, low: 3 };

export const CONTACT_OUTCOMES = ['reached', 'unreachable'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];
export const CONTACT_CHANNELS = ['phone', 'sms', 'visit', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** Event types the system records itself (never posted by a user). */
export type SystemAlertEventType =
  | 'created'
  | 'severity_raised'
  | 'response_added'
  | 'no_response'
  | 'escalated'
  | 'sms_undelivered'
  | 'sms_resolved'
  | 'contact_requested'
  | 'paged'
  | 'page_sent'
  | 'page_failed'
  | 'page_fallback'
  | 'page_acknowledged';

/** One alert as the dashboard lists it: no names, ids only. */
export interface AlertSummary {
  id: string;
  /**
   * Null on a contact-request alert until the request is turned into an enrolment.
   * @format uuid
   */
  parentId: string | null;
  /**
   * The self-screening "be contacted" request behind the alert, if any.
   * @format uuid
   */
  contactRequestId?: string | null;
  severity: AlertSeverity;
  reasons: AlertReason[];
  status: AlertStatus;
  /** @format uuid */
  assigneeId: string | null;
  /** @format date-time */
  acknowledgeDueAt: string;
  /** @format date-time */
  contactDueAt: string;
  /** @format date-time */
  acknowledgedAt: string | null;
  /** @format date-time */
  firstContactAt: string | null;
  /** @format date-time */
  escalatedAt: string | null;
  /** A deadline has passed with its step (acknowledge / first contact) not done. */
  overdue: boolean;
  contactAttempts: number;
  outcome: CloseOutcome | null;
  /** @format date-time */
  createdAt: string;
  /** @format date-time */
  updatedAt: string;
}

/** `GET /api/alerts` query. `status` and `severity` accept comma-separated lists; `status` defaults to "active" (all but closed). */
export interface AlertListQuery {
  status?: string;
  severity?: string;
  /** "me", "none" or a user id. */
  assignee?: string;
  overdue?: 'true' | 'false';
  page?: number;
  /** 1..100, default 25. */
  pageSize?: number;
}

/**
 * One dashboard row: the summary and what lets a professional recognise the case. The list names parents (initials
 * or full name, per the organisation's `alertListParentName`), so each list read is audited like a detail read;
 * the live feed stays name-free.
 */
export interface AlertListItem extends AlertSummary {
  /** "C. M." or "Camille Martin"; null on a contact-request alert and for a partner API key. */
  parentLabel: string | null;
  parentRole: ParentRole | null;
  /** The latest answer behind the alert: its wave key (e.g. "day7"), score and band; null when none. */
  wave: string | null;
  /** EPDS score of the latest answer. */
  score: number | null;
  band: EpdsBand | null;
  /** The display name of the professional holding the alert; null when nobody does. */
  assigneeName: string | null;
}

export interface AlertListResponse {
  /**
   * Default order: the caller's own overdue alerts first, then the other overdue ones, then the rest; within
   * each, the most severe first, then the nearest contact deadline.
   */
  items: AlertListItem[];
  /** How `parentLabel` names parents (the organisation's setting). */
  parentNames: AlertListParentName;
  page: number;
  pageSize: number;
  total: number;
  /** Counts with the same filters except `severity`, for the dashboard's tabs. */
  countsBySeverity: Record<AlertSeverity, number>;
}

/**
 * The parent as the alert page first shows it: no name, no phone. The identity is read separately
 * (GET /api/parents/:id), on an explicit reveal, and that read is what the audit log records.
 */
export interface AlertParentIdentity {
  id: string;
  role: ParentRole;
  language: string;
  /** @format date */
  birthDate: string | null;
  /** @format uuid */
  referentUserId: string | null;
  status: string;
}

export interface AlertResponseItem {
  number: number;
  /** Chosen option index (0..3, canonical order). */
  answer: number;
  points: number;
}

export interface AlertResponseDetail {
  id: string;
  /** @format uuid */
  invitationId: string;
  wave: string;
  /** @format date-time */
  createdAt: string;
  instrumentId: string;
  instrumentVersion: string;
  language: string;
  channel: ResponseChannel;
  score: number;
  band: EpdsBand;
  item10Positive: boolean;
  anxietyScore: number;
  anxietyFlag: boolean;
  items: AlertResponseItem[];
}

export interface SmsHistoryItem {
  id: string;
  /** @format uuid */
  invitationId: string;
  kind: SmsKind;
  status: SmsStatus;
  /** @format date-time */
  dueAt: string;
  /** @format date-time */
  sentAt: string | null;
  errorCode: string | null;
  statusHistory: {
    status: SmsStatus;
    /** @format date-time */
    at: string;
    errorCode?: string;
  }[];
}

export interface FollowUpEventView {
  id: string;
  type: AlertEventRequest['type'] | SystemAlertEventType;
  /** @format uuid */
  actorId: string | null;
  payload: Record<string, unknown>;
  /** @format date-time */
  createdAt: string;
}

export interface AlertDetail extends AlertSummary {
  /** Null on a contact-request alert (see `contactRequest`). */
  parent: AlertParentIdentity | null;
  contactRequest?: ContactRequestView | null;
  responses: AlertResponseDetail[];
  sms: SmsHistoryItem[];
  events: FollowUpEventView[];
  /** Event types allowed in the current status (what the console offers). */
  allowedEvents: AlertEventRequest['type'][];
  /** @format date-time */
  referredAt: string | null;
  /** @format date-time */
  inCareAt: string | null;
  /** @format date-time */
  closedAt: string | null;
  /** The other parent of the birth: offer to invite them (`POST /api/alerts/:id/other-parent`). */
  otherParent: AlertOtherParent;
  /**
   * Display names of the professionals it names (the assignee, the events' actors), by user id.
   * @example {"6f1c…":"Claire Dubois"}
   */
  userNames: Record<string, string>;
}

/** Whether the other parent of the household is enrolled, and already invited (a questionnaire planned or open). */
export interface AlertOtherParent {
  /** @format uuid */
  parentId: string | null;
  role: ParentRole | null;
  enrolled: boolean;
  invited: boolean;
}

/**
 * `POST /api/alerts/:id/other-parent`: invites the other parent now (ad hoc) when enrolled; otherwise enrols
 * them (`parent`, with their own phone and consent) in the alerted parent's household.
 */
export interface InviteOtherParentRequest {
  parent?: EnrolParentRequest;
}

export interface InviteOtherParentResponse {
  /** @format uuid */
  parentId: string;
  /** True when this call enrolled them (their waves are planned); false when an ad-hoc invitation was sent. */
  enrolled: boolean;
  invitations: InvitationSummary[];
}

/** `POST /api/alerts/:id/events` bodies. */
export type AlertEventRequest =
  | { type: 'acknowledge' }
  | { type: 'assign'; assigneeId: string }
  | { type: 'note'; text: string }
  | { type: 'contact_attempt'; outcome: ContactOutcome; channel: ContactChannel; note?: string }
  /**
   * `resourceId`: an entry of the organisation's referral directory (then `to` may be left out: the entry's kind
   * gives it); `destination`: where, in free text, when the directory does not list it (required with `to: 'other'`).
   */
  | { type: 'referral'; to?: ReferralTarget; resourceId?: string; destination?: string; note?: string }
  /** `careStartedOn`: the local date care began (YYYY-MM-DD), when it is not the day it is recorded. */
  | { type: 'in_care'; careStartedOn?: string; note?: string }
  | { type: 'close'; outcome: CloseOutcome; note?: string };

/** `POST /api/alerts/:id/events` answer: the alert as it now stands and the recorded event. */
export interface AlertEventResponse {
  alert: AlertSummary;
  event: FollowUpEventView;
  allowedEvents: AlertEventRequest['type'][];
}

/** 409 `invalid_transition` details: the event types allowed now (and, for close, the outcomes). */
export interface InvalidTransitionDetails {
  status: AlertStatus;
  allowed: AlertEventRequest['type'][];
  allowedOutcomes?: CloseOutcome[];
}

/** `POST /api/alerts/stream-ticket`: a single-use ticket for `GET /api/alerts/stream?ticket=`, valid `expiresIn` s. */
export interface AlertStreamTicketResponse {
  ticket: string;
  expiresIn: number;
}

/** What `GET /api/alerts/stream` pushes (`data:` of each server-sent event, JSON). */
export interface AlertStreamMessage {
  type: 'alert.created' | 'alert.updated';
  alert: AlertSummary;
}

/** `GET /api/dev/outbox/email`: emails kept locally when no SMTP is configured. */
export interface OutboxEmail {
  id: string;
  to: string;
  subject: string;
  body: string;
  status: 'pending' | 'sent' | 'outbox' | 'failed';
  /** @format date-time */
  createdAt: string;
}
