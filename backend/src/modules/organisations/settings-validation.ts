import {
  ALERT_LIST_PARENT_NAMES,
  ALERT_SEVERITIES,
  checkSmsTemplate,
  isFrenchPostalCode,
  PARENT_ROLES,
  type ApiErrorDetail,
  type OrganisationSettings,
} from '@lien/shared';
import { isEmailAddress } from '../../common/validation.js';

/**
 * Validation of organisation settings, by field path (`quietHours.start`, `waves[1].offsetDays`), and the merge
 * of a partial patch onto the current settings. Plain code rather than class-validator: the rules cross fields
 * (moderate <= high, window around the offset) and must hold on the merged result, not on the patch alone.
 */

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const PHONE = /^\+?[0-9][0-9 .-]{1,18}[0-9]$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Z]{2})?$/;
const WAVE_KEY = /^[a-z0-9_-]{1,20}$/;
/** Re-screens are stored as "<key>-r<n>" in the 16 characters of invitations.wave. */
const MAX_RESCREEN_WAVE_KEY = 12;
const RESCREEN_SUFFIX = /-r[0-9]+$/;
export const MAX_RESCREENS = 3;
/** Alphanumeric sender IDs: 1–11 letters or digits, with at least one letter (an all-digit ID reads as a number). */
const SMS_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;

export const MAX_WAVES = 6;
export const MAX_LOCAL_RESOURCES = 30;
export const MAX_TEMPLATE_LENGTH = 480;
export const MAX_SERVED_POSTAL_CODES = 1000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  readonly problems: ApiErrorDetail[] = [];

  problem(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** An object with exactly these keys (optional ones may be absent). */
  object(
    path: string,
    value: unknown,
    required: readonly string[],
    optional: readonly string[] = [],
  ): value is Record<string, unknown> {
    if (!isPlainObject(value)) {
      this.problem(path || 'body', 'must be an object');
      return false;
    }
    for (const key of required)
      if (!(key in value) || value[key] === undefined) this.problem(join(path, key), 'is required');
    for (const key of Object.keys(value)) {
      if (!required.includes(key) && !optional.includes(key))
        this.problem(join(path, key), 'is not a known setting');
    }
    return true;
  }

  integer(path: string, value: unknown, min: number, max: number): value is number {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.problem(path, `must be a whole number from ${min} to ${max}`);
      return false;
    }
    if (value < min || value > max) {
      this.problem(path, `must be from ${min} to ${max}`);
      return false;
    }
    return true;
  }

  boolean(path: string, value: unknown): value is boolean {
    if (typeof value !== 'boolean') {
      this.problem(path, 'must be true or false');
      return false;
    }
    return true;
  }

  string(path: string, value: unknown, min: number, max: number): value is string {
    if (typeof value !== 'string' || value.trim().length < min || value.length > max) {
      this.problem(
        path,
        min > 0 ? `must be text of ${min} to ${max} characters` : `must be text of at most ${max} characters`,
      );
      return false;
    }
    return true;
  }

  time(path: string, value: unknown): value is string {
    if (typeof value !== 'string' || !TIME.test(value)) {
      this.problem(path, 'must be a time as "HH:MM" (24 h)');
      return false;
    }
    return true;
  }
}

/** A wave's target roles: a non-empty list of distinct parent roles. */
function checkRoles(check: Checker, path: string, roles: unknown): void {
  if (!Array.isArray(roles) || roles.length === 0) {
    check.problem(path, `must list one or more of ${PARENT_ROLES.join(', ')}`);
    return;
  }
  roles.forEach((role: unknown, index) => {
    if (typeof role !== 'string' || !(PARENT_ROLES as readonly string[]).includes(role))
      check.problem(join(path, index), `must be one of ${PARENT_ROLES.join(', ')}`);
    else if (roles.indexOf(role) !== index) check.problem(join(path, index), 'is listed twice');
  });
}

/** A re-screen rule: bands (moderate and/or high) → a delay in days, at most a few times. */
function checkRescreen(check: Checker, path: string, rule: unknown): void {
  if (!check.object(path, rule, ['bands', 'afterDays', 'maxTimes'])) return;
  const bands = rule.bands;
  // A missing field is already named "is required".
  if (bands === undefined || rule.afterDays === undefined || rule.maxTimes === undefined) return;
  if (!Array.isArray(bands) || bands.length === 0)
    check.problem(join(path, 'bands'), 'must list moderate and/or high');
  else
    bands.forEach((band: unknown, index) => {
      if (band !== 'moderate' && band !== 'high')
        check.problem(join(join(path, 'bands'), index), 'must be moderate or high');
    });
  check.integer(join(path, 'afterDays'), rule.afterDays, 7, 180);
  check.integer(join(path, 'maxTimes'), rule.maxTimes, 1, MAX_RESCREENS);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function minutes(time: string): number {
  const [hours, mins] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (mins ?? 0);
}

const TOP_LEVEL_KEYS: readonly (keyof OrganisationSettings)[] = [
  'waves',
  'sendTime',
  'quietHours',
  'reminders',
  'linkExpiryDays',
  'thresholds',
  'anxietyThreshold',
  'showScoreToParent',
  'onCallEmail',
  'contactPhone',
  'localResources',
  'deadlines',
  'contactAttemptsBeforeUnreachable',
  'requireMfa',
  'smsTemplates',
];

/** Every problem of a complete settings object, each named by its field path. Empty when valid. */
export function validateSettings(value: unknown): ApiErrorDetail[] {
  const check = new Checker();
  if (!check.object('', value, TOP_LEVEL_KEYS, ['servedPostalCodes', 'alertListParentName']))
    return check.problems;
  const settings = value;

  // Schedule: waves in days after birth, each with the window in which a late enrolment still gets it.
  if (Array.isArray(settings.waves)) {
    if (settings.waves.length < 1 || settings.waves.length > MAX_WAVES)
      check.problem('waves', `must list 1 to ${MAX_WAVES} waves`);
    const keys = new Set<string>();
    settings.waves.forEach((wave: unknown, index: number) => {
      const path = join('waves', index);
      if (
        !check.object(
          path,
          wave,
          ['key', 'offsetDays', 'windowStartDay', 'windowEndDay', 'noResponseTask'],
          ['roles', 'rescreen'],
        )
      )
        return;
      if (typeof wave.key !== 'string' || !WAVE_KEY.test(wave.key)) {
        check.problem(join(path, 'key'), 'must be 1 to 20 lower-case letters, digits, "-" or "_"');
      } else if (RESCREEN_SUFFIX.test(wave.key)) {
        check.problem(join(path, 'key'), 'must not end with "-r" and a number (kept for re-screens)');
      } else if (keys.has(wave.key)) {
        check.problem(join(path, 'key'), 'must be unique among the waves');
      } else keys.add(wave.key);
      const offset = check.integer(join(path, 'offsetDays'), wave.offsetDays, 1, 365)
        ? wave.offsetDays
        : null;
      const start = check.integer(join(path, 'windowStartDay'), wave.windowStartDay, 0, 365)
        ? wave.windowStartDay
        : null;
      const end = check.integer(join(path, 'windowEndDay'), wave.windowEndDay, 1, 365)
        ? wave.windowEndDay
        : null;
      if (offset !== null && start !== null && start > offset) {
        check.problem(join(path, 'windowStartDay'), 'must be on or before the wave day (offsetDays)');
      }
      if (offset !== null && end !== null && end < offset)
        check.problem(join(path, 'windowEndDay'), 'must be on or after the wave day (offsetDays)');
      check.boolean(join(path, 'noResponseTask'), wave.noResponseTask);
      if (wave.roles !== undefined) checkRoles(check, join(path, 'roles'), wave.roles);
      if (wave.rescreen !== undefined) {
        checkRescreen(check, join(path, 'rescreen'), wave.rescreen);
        if (typeof wave.key === 'string' && wave.key.length > MAX_RESCREEN_WAVE_KEY)
          check.problem(
            join(path, 'key'),
            `must be at most ${MAX_RESCREEN_WAVE_KEY} characters for a wave with re-screens`,
          );
      }
    });
  } else check.problem('waves', 'must be a list of waves');

  check.time('sendTime', settings.sendTime);

  if (check.object('quietHours', settings.quietHours, ['start', 'end', 'noSundays', 'noPublicHolidays'])) {
    const quiet = settings.quietHours;
    const start = quiet.start;
    const end = quiet.end;
    if (
      check.time('quietHours.start', start) &&
      check.time('quietHours.end', end) &&
      minutes(start) >= minutes(end)
    ) {
      check.problem('quietHours.start', 'must be before quietHours.end');
    }
    check.boolean('quietHours.noSundays', quiet.noSundays);
    check.boolean('quietHours.noPublicHolidays', quiet.noPublicHolidays);
  }

  const linkExpiryOk = check.integer('linkExpiryDays', settings.linkExpiryDays, 1, 30);
  if (check.object('reminders', settings.reminders, ['count', 'afterHours'])) {
    const reminders = settings.reminders;
    const count = reminders.count;
    const afterHours = reminders.afterHours;
    const expiryDays = settings.linkExpiryDays;
    const countOk = check.integer('reminders.count', count, 0, 3);
    const afterOk = check.integer('reminders.afterHours', afterHours, 1, 720);
    if (
      countOk &&
      afterOk &&
      linkExpiryOk &&
      typeof expiryDays === 'number' &&
      count * afterHours >= expiryDays * 24
    ) {
      check.problem(
        'reminders.afterHours',
        'the last reminder must go out before the link expires (count × afterHours < linkExpiryDays × 24)',
      );
    }
  }

  if (check.object('thresholds', settings.thresholds, PARENT_ROLES)) {
    for (const role of PARENT_ROLES) {
      const path = join('thresholds', role);
      const band = settings.thresholds[role];
      if (!check.object(path, band, ['moderate', 'high'])) continue;
      const moderate = band.moderate;
      const high = band.high;
      const moderateOk = check.integer(join(path, 'moderate'), moderate, 0, 30);
      const highOk = check.integer(join(path, 'high'), high, 0, 30);
      if (moderateOk && highOk && moderate > high)
        check.problem(join(path, 'moderate'), `must not be above ${path}.high`);
    }
  }

  // EPDS-3A (items 3, 4, 5) scores 0 to 9.
  check.integer('anxietyThreshold', settings.anxietyThreshold, 0, 9);
  check.boolean('showScoreToParent', settings.showScoreToParent);

  if (settings.onCallEmail !== null && !isEmailAddress(settings.onCallEmail)) {
    check.problem('onCallEmail', 'must be an email address or null');
  }
  if (
    settings.contactPhone !== null &&
    (typeof settings.contactPhone !== 'string' || !PHONE.test(settings.contactPhone))
  ) {
    check.problem('contactPhone', 'must be a phone number (digits, spaces, "+") or null');
  }

  if (Array.isArray(settings.localResources)) {
    if (settings.localResources.length > MAX_LOCAL_RESOURCES)
      check.problem('localResources', `must list at most ${MAX_LOCAL_RESOURCES} resources`);
    settings.localResources.forEach((resource: unknown, index: number) => {
      const path = join('localResources', index);
      if (!check.object(path, resource, ['name'], ['phone', 'url', 'description'])) return;
      check.string(join(path, 'name'), resource.name, 1, 120);
      if (
        resource.phone !== undefined &&
        (typeof resource.phone !== 'string' || !PHONE.test(resource.phone))
      ) {
        check.problem(join(path, 'phone'), 'must be a phone number (digits, spaces, "+")');
      }
      if (resource.url !== undefined && !isWebUrl(resource.url))
        check.problem(join(path, 'url'), 'must be an http(s) address');
      if (resource.description !== undefined)
        check.string(join(path, 'description'), resource.description, 0, 500);
      if (resource.phone === undefined && resource.url === undefined)
        check.problem(path, 'needs a phone number or an address');
    });
  } else check.problem('localResources', 'must be a list');

  if (check.object('deadlines', settings.deadlines, ALERT_SEVERITIES)) {
    for (const severity of ALERT_SEVERITIES) {
      const path = join('deadlines', severity);
      const deadline = settings.deadlines[severity];
      if (!check.object(path, deadline, ['acknowledgeHours'], ['contactWorkingDays', 'contactHours']))
        continue;
      check.integer(join(path, 'acknowledgeHours'), deadline.acknowledgeHours, 1, 720);
      if (deadline.contactWorkingDays !== undefined)
        check.integer(join(path, 'contactWorkingDays'), deadline.contactWorkingDays, 1, 60);
      if (deadline.contactHours !== undefined)
        check.integer(join(path, 'contactHours'), deadline.contactHours, 1, 1440);
      if (deadline.contactWorkingDays !== undefined && deadline.contactHours !== undefined) {
        check.problem(path, 'takes contactWorkingDays or contactHours, not both');
      }
    }
  }

  check.integer('contactAttemptsBeforeUnreachable', settings.contactAttemptsBeforeUnreachable, 1, 10);
  check.boolean('requireMfa', settings.requireMfa);

  if (isPlainObject(settings.smsTemplates)) {
    if (!('fr' in settings.smsTemplates))
      check.problem('smsTemplates.fr', 'is required (French is the fallback language)');
    for (const [language, templates] of Object.entries(settings.smsTemplates)) {
      const path = join('smsTemplates', language);
      if (!LANGUAGE.test(language)) {
        check.problem(path, 'must be keyed by a language code such as "fr" or "en"');
        continue;
      }
      if (!check.object(path, templates, ['invitation', 'reminder'])) continue;
      for (const kind of ['invitation', 'reminder'] as const) {
        const text = templates[kind];
        const field = join(path, kind);
        if (!check.string(field, text, 1, MAX_TEMPLATE_LENGTH)) continue;
        for (const message of checkSmsTemplate(text)) check.problem(field, message);
      }
    }
  } else check.problem('smsTemplates', 'must be an object of templates by language');

  // Postal codes served, for "be contacted" requests from self-screening.
  if (settings.servedPostalCodes !== undefined) {
    if (!Array.isArray(settings.servedPostalCodes))
      check.problem('servedPostalCodes', 'must be a list of postal codes');
    else {
      if (settings.servedPostalCodes.length > MAX_SERVED_POSTAL_CODES)
        check.problem('servedPostalCodes', `must list at most ${MAX_SERVED_POSTAL_CODES} postal codes`);
      const seen = new Set<string>();
      settings.servedPostalCodes.forEach((code: unknown, index: number) => {
        const path = join('servedPostalCodes', index);
        if (typeof code !== 'string' || !isFrenchPostalCode(code))
          check.problem(path, 'must be a French postal code of 5 digits (e.g. 62100)');
        else if (seen.has(code)) check.problem(path, 'is listed twice');
        else seen.add(code);
      });
    }
  }

  // How the alert dashboard names parents (absent: initials).
  if (
    settings.alertListParentName !== undefined &&
    !(ALERT_LIST_PARENT_NAMES as readonly unknown[]).includes(settings.alertListParentName)
  )
    check.problem('alertListParentName', `must be one of ${ALERT_LIST_PARENT_NAMES.join(', ')}`);

  return check.problems;
}

export function validateSmsSender(value: unknown, field = 'smsSender'): ApiErrorDetail[] {
  return typeof value === 'string' && SMS_SENDER.test(value)
    ? []
    : [
        {
          field,
          message: 'must be 1 to 11 letters or digits, with at least one letter (no spaces or accents)',
        },
      ];
}

function isWebUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 500) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export interface SettingsPatchResult {
  settings: OrganisationSettings;
  smsSender: string;
  /** Field paths the patch touched (leaves), for the audit log: names only, never values. */
  changedFields: string[];
  problems: ApiErrorDetail[];
}

/**
 * Merges a partial patch onto the current settings (objects merge key by key, arrays and scalars replace;
 * `smsTemplates.<lang>: null` removes a language) and validates the result. `smsSender` travels with the
 * settings in the API although it is a column of its own.
 */
export function applySettingsPatch(
  current: OrganisationSettings,
  currentSender: string,
  patch: unknown,
): SettingsPatchResult {
  if (!isPlainObject(patch)) {
    return {
      settings: current,
      smsSender: currentSender,
      changedFields: [],
      problems: [{ field: 'body', message: 'must be an object' }],
    };
  }
  const { smsSender, ...rest } = patch;
  const problems: ApiErrorDetail[] = [];
  const changedFields: string[] = [];
  if (smsSender !== undefined) {
    problems.push(...validateSmsSender(smsSender));
    changedFields.push('smsSender');
  }
  const merged = mergeInto(
    structuredClone(current) as unknown as Record<string, unknown>,
    rest,
    '',
    changedFields,
  );
  problems.push(...validateSettings(merged));
  return {
    settings: merged as unknown as OrganisationSettings,
    smsSender: typeof smsSender === 'string' ? smsSender : currentSender,
    changedFields,
    problems,
  };
}

function mergeInto(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
  path: string,
  changed: string[],
): Record<string, unknown> {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const field = join(path, key);
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      // Never merged: reported as an unknown setting by validation.
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      changed.push(field);
      continue;
    }
    const existing = target[key];
    if (value === null && path === 'smsTemplates') {
      delete target[key];
      changed.push(field);
    } else if (isPlainObject(value) && isPlainObject(existing)) {
      mergeInto(existing, value, field, changed);
    } else {
      target[key] = value;
      changed.push(field);
    }
  }
  return target;
}
