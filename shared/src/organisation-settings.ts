import type { ParentRole } from './roles.js';
import type { EpdsBand } from './statuses.js';

/**
 * Adaptive re-screening: an answer of the wave in one of `bands` invites the parent again `afterDays` days
 * later, at most `maxTimes` times per wave (each re-screen answered in those bands counts).
 */
export interface RescreenSetting {
  bands: EpdsBand[];
  afterDays: number;
  maxTimes: number;
}

/** A wave of the EPDS schedule, counted in days after birth, with the window in which a late enrolment still gets it. */
export interface WaveSetting {
  /** Stable key stored on invitations, e.g. "day7". */
  key: string;
  offsetDays: number;
  windowStartDay: number;
  windowEndDay: number;
  /** Create a "no answer" follow-up task when the last reminder expires unanswered. */
  noResponseTask: boolean;
  /** The parent roles this wave is for; absent means every role. */
  roles?: ParentRole[];
  /** Invite again after an answer in the given bands; absent means never. */
  rescreen?: RescreenSetting;
}

/** Whether a wave is planned for a parent of this role. */
export function waveAppliesTo(wave: Pick<WaveSetting, 'roles'>, role: ParentRole): boolean {
  return !wave.roles || wave.roles.includes(role);
}

/** The key of the n-th re-screen of a wave (n from 1), e.g. "day42-r1". */
export function rescreenWaveKey(waveKey: string, n: number): string {
  return `${waveKey}-r${n}`;
}

/** The wave and re-screen number behind an invitation's key ("day42-r2" → day42, 2; "day42" → day42, 0). */
export function parseRescreenWaveKey(key: string): { wave: string; n: number } {
  const match = /^(.*)-r([1-9][0-9]?)$/.exec(key);
  return match ? { wave: match[1]!, n: Number(match[2]) } : { wave: key, n: 0 };
}

/** "HH:MM" in the organisation's time zone. */
export type LocalTime = string;

export interface QuietHoursSetting {
  /** First minute at which an SMS may be sent (local). */
  start: LocalTime;
  /** Minute after which no SMS is sent (local). */
  end: LocalTime;
  noSundays: boolean;
  noPublicHolidays: boolean;
}

export interface EpdsThresholds {
  moderate: number;
  high: number;
}

export interface LocalResource {
  name: string;
  phone?: string;
  url?: string;
  description?: string;
}

export interface AlertDeadlineSetting {
  /** Hours to acknowledge, counted in calendar hours. */
  acknowledgeHours: number;
  /** Time to first contact; working days skip weekends and public holidays. */
  contactWorkingDays?: number;
  contactHours?: number;
}

export type AlertSeverity = 'urgent' | 'high' | 'moderate' | 'low';

export interface OrganisationSettings {
  waves: WaveSetting[];
  sendTime: LocalTime;
  quietHours: QuietHoursSetting;
  reminders: { count: number; afterHours: number };
  linkExpiryDays: number;
  thresholds: Record<ParentRole, EpdsThresholds>;
  /** EPDS-3A (items 3, 4, 5) at or above this flags anxiety. */
  anxietyThreshold: number;
  showScoreToParent: boolean;
  onCallEmail: string | null;
  contactPhone: string | null;
  localResources: LocalResource[];
  deadlines: Record<AlertSeverity, AlertDeadlineSetting>;
  contactAttemptsBeforeUnreachable: number;
  requireMfa: boolean;
  /**
   * SMS text per language; {organisation} and {link} are replaced.
   * @example {"fr":{"invitation":"{organisation} : … {link}","reminder":"{organisation} : rappel … {link}"}}
   */
  smsTemplates: Record<string, { invitation: string; reminder: string }>;
  /**
   * Postal codes the organisation serves, for "be contacted" requests (5 digits each). Absent or empty: the
   * organisation is its département's default only.
   * @example ["62100","62200"]
   */
  servedPostalCodes?: string[];
  /**
   * How the alert dashboard names each parent: `initials` ("C. M.", the default when absent) or `full` (first and
   * last name). Either way the list read is audited like a detail read.
   */
  alertListParentName?: AlertListParentName;
}

export const ALERT_LIST_PARENT_NAMES = ['initials', 'full'] as const;
export type AlertListParentName = (typeof ALERT_LIST_PARENT_NAMES)[number];

/**
 * The wave the README suggests adding for fathers and co-parents (not a default): day 120, window 90-180, when
 * paternal depression rises from ~7 % in the first three months to ~25 % at 3-6 months (README, waves by role).
 */
export const FATHERS_WAVE_EXAMPLE: WaveSetting = {
  key: 'day120',
  offsetDays: 120,
  windowStartDay: 90,
  windowEndDay: 180,
  noResponseTask: true,
  roles: ['father', 'co_parent'],
};

/**
 * Defaults of the brief, with their sources:
 * - day 7 and day 42: the two post-partum depression peaks (seeds; brief "Schedule").
 * - mothers moderate >= 11: French validation (Guedeney & Fermanian 1998); high >= 13: Cox et al. 1987 and
 *   the French national perinatal survey 2021.
 * - fathers and co-parents 10 / 12: fathers score lower (Edmondson et al. 2010; Matthey et al. 2001).
 * - anxiety: EPDS-3A (items 3, 4, 5) >= 5 (Matthey 2008).
 * - quiet hours 09:00-20:00, no Sundays nor public holidays; reminders after 48 h; links expire after 7 days.
 */
export const DEFAULT_ORGANISATION_SETTINGS: OrganisationSettings = {
  waves: [
    { key: 'day7', offsetDays: 7, windowStartDay: 0, windowEndDay: 14, noResponseTask: true },
    { key: 'day42', offsetDays: 42, windowStartDay: 35, windowEndDay: 56, noResponseTask: true },
  ],
  sendTime: '10:00',
  quietHours: { start: '09:00', end: '20:00', noSundays: true, noPublicHolidays: true },
  reminders: { count: 1, afterHours: 48 },
  linkExpiryDays: 7,
  thresholds: {
    mother: { moderate: 11, high: 13 },
    father: { moderate: 10, high: 12 },
    co_parent: { moderate: 10, high: 12 },
  },
  anxietyThreshold: 5,
  showScoreToParent: false,
  onCallEmail: null,
  contactPhone: null,
  localResources: [],
  deadlines: {
    urgent: { acknowledgeHours: 4, contactHours: 4 },
    high: { acknowledgeHours: 24, contactWorkingDays: 2 },
    moderate: { acknowledgeHours: 48, contactWorkingDays: 5 },
    low: { acknowledgeHours: 72, contactHours: 7 * 24 },
  },
  contactAttemptsBeforeUnreachable: 3,
  requireMfa: false,
  smsTemplates: {
    fr: {
      invitation:
        '{organisation} : bonjour, comment allez-vous ? Quelques questions pour faire le point : {link}',
      reminder: '{organisation} : petit rappel, vos réponses nous aident à vous accompagner : {link}',
    },
    en: {
      invitation: '{organisation}: hello, how are you doing? A few questions to check in: {link}',
      reminder: '{organisation}: a gentle reminder, your answers help us support you: {link}',
    },
  },
};
