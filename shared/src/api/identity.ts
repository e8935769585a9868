import type { OrganisationSettings } from '../organisation-settings.js';
import type { Permission } from '../permissions.js';
import type { OrganisationKind, UserRole } from '../roles.js';

// ---------------------------------------------------------------------------------------------------------------
// Sign-in: POST /api/auth/login, /refresh, /logout, TOTP, OpenID Connect, GET /api/auth/me
// ---------------------------------------------------------------------------------------------------------------

export interface LoginRequest {
  email: string;
  password: string;
  /** Six-digit code of the authenticator app, when the account (or its organisation) requires it. */
  totp?: string;
}

/** Answer of login, refresh, TOTP enrolment at login, and (in the URL fragment) of the OpenID Connect callback. */
export interface LoginResponse {
  /**
   * Send as `Authorization: Bearer <accessToken>`
   * @example eyJhbGciOiJIUzI1NiIs…
   */
  accessToken: string;
  /** For POST /api/auth/refresh and /logout (single use) */
  refreshToken: string;
  /**
   * Access-token lifetime in seconds.
   * @example 900
   */
  expiresIn: number;
}

export interface RefreshRequest {
  refreshToken: string;
}

export interface LogoutRequest {
  refreshToken: string;
}

/**
 * `code` of the 401/429 answers of POST /api/auth/login:
 * - invalid_credentials: unknown email, wrong password, inactive or temporarily locked account (one answer for all);
 * - totp_required: the password is right, send it again with `totp`;
 * - totp_enrolment_required: the organisation requires a second factor and the account has none yet:
 *   `details.enrolmentToken` opens POST /api/auth/totp/enrol/setup and /confirm (10 minutes);
 * - too_many_attempts (429): too many failures from this address, try later.
 */
export type LoginErrorCode =
  'invalid_credentials' | 'totp_required' | 'totp_enrolment_required' | 'too_many_attempts';

export interface TotpEnrolmentRequiredDetails {
  enrolmentToken: string;
}

/** POST /api/auth/totp/setup (signed in) and POST /api/auth/totp/enrol/setup (with an enrolment token). */
export interface TotpSetupResponse {
  /** otpauth:// URI to show as a QR code. */
  otpauthUrl: string;
  /** The same secret in Base32, for manual entry. */
  secret: string;
}

/** POST /api/auth/totp/confirm (signed in): turns TOTP on once the app shows a valid code. */
export interface TotpConfirmRequest {
  code: string;
}

export interface TotpEnrolmentSetupRequest {
  enrolmentToken: string;
}

/** POST /api/auth/totp/enrol/confirm: turns TOTP on and completes the sign-in (answers LoginResponse). */
export interface TotpEnrolmentConfirmRequest {
  enrolmentToken: string;
  code: string;
}

/** POST /api/auth/totp/disable (signed in, not when the organisation requires MFA). */
export interface TotpDisableRequest {
  code: string;
}

/** `POST /api/auth/totp/confirm` and `/disable`: the new state. */
export interface TotpState {
  totpEnabled: boolean;
}

export interface MfaState {
  totpEnabled: boolean;
  /** The organisation requires a second factor (settings.requireMfa). */
  required: boolean;
}

export interface UserTerritory {
  departements: string[];
  region: string | null;
}

/** GET /api/auth/me */
export interface MeResponse {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  organisation: { id: string; name: string; timeZone: string } | null;
  territory: UserTerritory;
  permissions: Permission[];
  mfa: MfaState;
  /** Linked to an OpenID Connect identity (Pro Santé Connect). */
  oidcLinked: boolean;
}

/** GET /api/auth/oidc/config (public): whether to show the "Sign in with …" button. */
export interface OidcConfigResponse {
  enabled: boolean;
  displayName: string | null;
}

/**
 * Error codes the OpenID Connect callback puts in the console URL fragment (`/auth/callback#error=<code>`):
 * the identity matched no account, the account is deactivated or locked, the identity is already linked to
 * another account, the provider refused, or the exchange failed / expired. On success the fragment holds a
 * one-time `code` (exchanged with POST /api/auth/oidc/exchange) or, after a linking step, `linked=true`.
 */
export type OidcCallbackError =
  | 'oidc_unknown_user'
  | 'oidc_account_unavailable'
  | 'oidc_already_linked'
  | 'oidc_denied'
  | 'oidc_failed'
  | 'oidc_expired';

/** POST /api/auth/oidc/exchange: the one-time code of the callback (and a TOTP code when asked). */
export interface OidcExchangeRequest {
  code: string;
  totp?: string;
}

/** POST /api/auth/oidc/link/start (signed in): where to send the browser to link an identity. */
export interface OidcLinkStartResponse {
  url: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Organisations: /api/organisations
// ---------------------------------------------------------------------------------------------------------------

export interface OrganisationSummary {
  id: string;
  name: string;
  kind: OrganisationKind;
  departement: string;
  region: string;
  timeZone: string;
  smsSender: string;
  /** @format date-time */
  createdAt: string;
}

/** POST /api/organisations (platform admin). Region and time zone default from the département. */
export interface CreateOrganisationRequest {
  name: string;
  kind: OrganisationKind;
  departement: string;
  region?: string;
  timeZone?: string;
  smsSender: string;
  settings?: OrganisationSettingsPatch;
}

/** PATCH /api/organisations/:id (platform admin). */
export interface UpdateOrganisationRequest {
  name?: string;
  kind?: OrganisationKind;
  departement?: string;
  region?: string;
  timeZone?: string;
}

type DeepPartial<T> = T extends readonly (infer _U)[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | (null extends T[K] ? null : never) }
    : T;

/**
 * PATCH /api/organisations/:id/settings: any subset, merged onto the current settings (objects merge, arrays
 * replace). `smsTemplates.<lang>: null` removes a language other than "fr". A 400 names each bad field by its
 * path, e.g. `quietHours.start`, `thresholds.mother.high`, `waves[1].offsetDays`, `smsTemplates.fr.invitation`.
 */
export type OrganisationSettingsPatch = DeepPartial<Omit<OrganisationSettings, 'smsTemplates'>> & {
  smsTemplates?: Record<string, { invitation?: string; reminder?: string } | null>;
  smsSender?: string;
};

/**
 * GET/PATCH /api/organisations/:id/settings answer: the full settings plus the SMS sender name, and the wave keys
 * already stored on invitations (those waves can be tuned but not renamed or removed).
 */
export type OrganisationSettingsResponse = OrganisationSettings & {
  smsSender: string;
  /** Wave keys already stored on invitations: those waves cannot be renamed or removed. */
  usedWaveKeys: string[];
};

// ---------------------------------------------------------------------------------------------------------------
// Users: /api/users
// ---------------------------------------------------------------------------------------------------------------

/** invited: no password nor linked identity yet; locked: too many failed sign-ins, for a few minutes. */
export type UserStatus = 'invited' | 'active' | 'locked' | 'inactive';

export interface UserSummary {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  /** @format uuid */
  organisationId: string | null;
  organisationName: string | null;
  territory: UserTerritory;
  rpps: string | null;
  status: UserStatus;
  active: boolean;
  totpEnabled: boolean;
  oidcLinked: boolean;
  /** @format date-time */
  lastLoginAt: string | null;
  /** @format date-time */
  createdAt: string;
}

export interface UserListQuery {
  /** Platform admins only; org admins always see their own organisation. */
  organisationId?: string;
  role?: UserRole;
  active?: 'true' | 'false';
  /** Part of the email or display name. */
  search?: string;
  page?: number;
  pageSize?: number;
}

export interface UserListResponse {
  items: UserSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * POST /api/users: creates the account and emails a one-time link to set a password (valid 7 days).
 * Org admins invite professionals and org admins into their own organisation (organisationId ignored/own);
 * platform admins create org admins (organisationId required), coordinators (territory required) and platform admins.
 */
export interface InviteUserRequest {
  email: string;
  displayName: string;
  role: UserRole;
  organisationId?: string;
  territory?: Partial<UserTerritory>;
  /** RPPS number (11 digits), to match a Pro Santé Connect identity on first sign-in. */
  rpps?: string | null;
}

/** PATCH /api/users/:id */
export interface UpdateUserRequest {
  displayName?: string;
  role?: UserRole;
  active?: boolean;
  territory?: Partial<UserTerritory>;
  rpps?: string | null;
}

/** POST /api/users/password-reset/request (public): always 202, whether the address exists or not. */
export interface PasswordResetRequest {
  email: string;
}

/** The answer of POST /api/users/password-reset/request: always the same, account or not. */
export interface PasswordResetAccepted {
  status: 'accepted';
}

/** POST /api/users/password/set (public): with the token of an invitation or reset link. 204 on success. */
export interface SetPasswordRequest {
  token: string;
  password: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Audit: GET /api/audit
// ---------------------------------------------------------------------------------------------------------------

export interface AuditQuery {
  /** Platform admins: any organisation (absent = every event); org admins: their own only. */
  organisationId?: string;
  action?: string;
  actorId?: string;
  /** ISO date-times, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

/** A parent an audit event is about: its id (a pseudonym) and, for a reader allowed to see it, its name. */
export interface AuditParentView {
  /** @format uuid */
  id: string;
  /**
   * "First Last" when the reader may see this parent's identity (a member of the parent's organisation with
   * `parents.read`, i.e. its org admin); null for anyone else (platform admins included) or a parent no longer
   * there. A page showing a name is itself audited (`audit.read`, the parent ids in its metadata).
   */
  name: string | null;
}

export interface AuditEventView {
  id: string;
  /** @format uuid */
  organisationId: string | null;
  /** @format uuid */
  actorId: string | null;
  actorDisplayName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
  /**
   * The parents the event is about: its target parent and the parent its metadata names (an alert's, the other
   * of a household). A list read (`metadata.parentIds`) names none here: its ids stay in the metadata.
   */
  parents: AuditParentView[];
  /** @format date-time */
  createdAt: string;
}

export interface AuditListResponse {
  items: AuditEventView[];
  total: number;
  page: number;
  pageSize: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Password rule (the console shows the same messages before submitting)
// ---------------------------------------------------------------------------------------------------------------

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** Problems of a new password (empty when it is acceptable): length, variety of characters, not the email. */
export function checkPasswordStrength(password: string, email?: string | null): string[] {
  const problems: string[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH)
    problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  if (password.length > PASSWORD_MAX_LENGTH)
    problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters long`);
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((pattern) =>
    pattern.test(password),
  ).length;
  if (password.length > 0 && classes < 2)
    problems.push('must mix at least two kinds of characters (lower case, upper case, digits, symbols)');
  if (email) {
    const lowered = password.trim().toLowerCase();
    const address = email.trim().toLowerCase();
    const local = address.split('@')[0] ?? '';
    if (lowered === address || (local.length >= 4 && lowered.includes(local)))
      problems.push('must not contain your email address');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// French territory: départements (INSEE codes) by region, overseas included
// ---------------------------------------------------------------------------------------------------------------

export const FRENCH_REGIONS: Readonly<Record<string, readonly string[]>> = {
  'Auvergne-Rhône-Alpes': ['01', '03', '07', '15', '26', '38', '42', '43', '63', '69', '73', '74'],
  'Bourgogne-Franche-Comté': ['21', '25', '39', '58', '70', '71', '89', '90'],
  Bretagne: ['22', '29', '35', '56'],
  'Centre-Val de Loire': ['18', '28', '36', '37', '41', '45'],
  Corse: ['2A', '2B'],
  'Grand Est': ['08', '10', '51', '52', '54', '55', '57', '67', '68', '88'],
  'Hauts-de-France': ['02', '59', '60', '62', '80'],
  'Île-de-France': ['75', '77', '78', '91', '92', '93', '94', '95'],
  Normandie: ['14', '27', '50', '61', '76'],
  'Nouvelle-Aquitaine': ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'],
  Occitanie: ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'],
  'Pays de la Loire': ['44', '49', '53', '72', '85'],
  "Provence-Alpes-Côte d'Azur": ['04', '05', '06', '13', '83', '84'],
  Guadeloupe: ['971'],
  Martinique: ['972'],
  Guyane: ['973'],
  'La Réunion': ['974'],
  Mayotte: ['976'],
};

const OVERSEAS_TIME_ZONES: Readonly<Record<string, string>> = {
  '971': 'America/Guadeloupe',
  '972': 'America/Martinique',
  '973': 'America/Cayenne',
  '974': 'Indian/Reunion',
  '976': 'Indian/Mayotte',
};

/** The region of a département code ("62" → "Hauts-de-France"), or null for an unknown code. */
export function regionOfDepartement(code: string): string | null {
  for (const [region, codes] of Object.entries(FRENCH_REGIONS)) if (codes.includes(code)) return region;
  return null;
}

/** The usual IANA time zone of a département (overseas ones have their own). */
export function defaultTimeZoneOfDepartement(code: string): string {
  return OVERSEAS_TIME_ZONES[code] ?? 'Europe/Paris';
}
