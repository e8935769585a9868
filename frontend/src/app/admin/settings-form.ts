import {
  FormArray,
  FormControl,
  FormGroup,
  Validators,
  type AbstractControl,
  type ValidationErrors,
  type ValidatorFn,
} from '@angular/forms';
import { required, email } from '../ui/validators';
import {
  ALERT_SEVERITIES,
  DEFAULT_ORGANISATION_SETTINGS,
  PARENT_ROLES,
  type AlertDeadlineSetting,
  type AlertListParentName,
  type AlertSeverity,
  type ApiError,
  type LocalResource,
  type OrganisationSettingsPatch,
  type OrganisationSettingsResponse,
  type ParentRole,
  type RescreenSetting,
  type WaveSetting,
} from '@lien/shared';
import { fieldErrors } from '../core/api-error';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const SMS_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;
const PHONE = /^\+?[\d ]{4,20}$/;

/** Sources of the documented defaults (brief "EPDS facts"), shown next to each threshold. */
export const THRESHOLD_SOURCES: Record<ParentRole, { moderate: string; high: string }> = {
  mother: { moderate: 'Guedeney & Fermanian 1998', high: 'Cox et al. 1987; ENP 2021' },
  father: {
    moderate: 'Edmondson et al. 2010; Matthey et al. 2001',
    high: 'Edmondson et al. 2010; Matthey et al. 2001',
  },
  co_parent: {
    moderate: 'Edmondson et al. 2010; Matthey et al. 2001',
    high: 'Edmondson et al. 2010; Matthey et al. 2001',
  },
};
export const ANXIETY_SOURCE = 'EPDS-3A, Matthey 2008';
export const DEFAULTS = DEFAULT_ORGANISATION_SETTINGS;

function int(value: number, min: number, max: number): FormControl<number> {
  return new FormControl(value, {
    nonNullable: true,
    validators: [required, Validators.min(min), Validators.max(max), Validators.pattern(/^-?\d+$/)],
  });
}

/** A wave whose key invitations already carry keeps it (the API refuses a rename): its key field is disabled. */
function waveGroup(wave: WaveSetting, keyInUse: boolean) {
  return new FormGroup(
    {
      key: new FormControl(
        { value: wave.key, disabled: keyInUse },
        { nonNullable: true, validators: [required, Validators.pattern(/^[a-z0-9_-]{1,20}$/)] },
      ),
      offsetDays: int(wave.offsetDays, 1, 365),
      windowStartDay: int(wave.windowStartDay, 0, 365),
      windowEndDay: int(wave.windowEndDay, 1, 365),
      noResponseTask: new FormControl(wave.noResponseTask, { nonNullable: true }),
      /** Target roles (none chosen: every role). */
      roles: new FormControl<ParentRole[]>(wave.roles ?? [], { nonNullable: true }),
      /** Kept as it is: the re-screen rule is set through the API and must survive a save from this page. */
      rescreen: new FormControl<RescreenSetting | null>(wave.rescreen ?? null),
    },
    { validators: [windowValidator] },
  );
}

/** A wave's window contains its day. */
const windowValidator: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const { offsetDays, windowStartDay, windowEndDay } = group.value as WaveSetting;
  if (windowStartDay > offsetDays) return { windowStart: true };
  if (windowEndDay < offsetDays) return { windowEnd: true };
  return null;
};

/** Quiet hours: start before end. */
const quietValidator: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const { start, end } = group.value as { start: string; end: string };
  return TIME.test(start) && TIME.test(end) && start >= end ? { quietOrder: true } : null;
};

/** Moderate threshold not above the high one. */
const bandValidator: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const { moderate, high } = group.value as { moderate: number; high: number };
  return Number(moderate) > Number(high) ? { bandOrder: true } : null;
};

/** The last reminder goes out before the link expires. */
const reminderValidator: ValidatorFn = (form: AbstractControl): ValidationErrors | null => {
  const value = form.value as { reminders?: { count: number; afterHours: number }; linkExpiryDays?: number };
  if (!value.reminders || value.linkExpiryDays === undefined) return null;
  return value.reminders.count * value.reminders.afterHours >= value.linkExpiryDays * 24
    ? { reminderAfterExpiry: true }
    : null;
};

function resourceGroup(resource: LocalResource) {
  return new FormGroup({
    name: new FormControl(resource.name, {
      nonNullable: true,
      validators: [required, Validators.maxLength(120)],
    }),
    phone: new FormControl(resource.phone ?? '', {
      nonNullable: true,
      validators: [Validators.pattern(PHONE)],
    }),
    url: new FormControl(resource.url ?? '', {
      nonNullable: true,
      validators: [Validators.pattern(/^https?:\/\/\S+$/)],
    }),
    description: new FormControl(resource.description ?? '', {
      nonNullable: true,
      validators: [Validators.maxLength(500)],
    }),
  });
}

export function newResourceGroup() {
  return resourceGroup({ name: '' });
}

function deadlineGroup(deadline: AlertDeadlineSetting) {
  const workingDays = deadline.contactWorkingDays !== undefined;
  return new FormGroup({
    acknowledgeHours: int(deadline.acknowledgeHours, 1, 720),
    contactUnit: new FormControl<'workingDays' | 'hours'>(workingDays ? 'workingDays' : 'hours', {
      nonNullable: true,
    }),
    contactValue: int(deadline.contactWorkingDays ?? deadline.contactHours ?? 24, 1, 1440),
  });
}

function bandGroup(role: ParentRole, settings: OrganisationSettingsResponse) {
  const band = settings.thresholds[role];
  return new FormGroup(
    { moderate: int(band.moderate, 0, 30), high: int(band.high, 0, 30) },
    { validators: [bandValidator] },
  );
}

export function createSettingsForm(settings: OrganisationSettingsResponse) {
  const templates = new FormGroup<
    Record<string, FormGroup<{ invitation: FormControl<string>; reminder: FormControl<string> }>>
  >({});
  for (const [language, text] of Object.entries(settings.smsTemplates)) {
    templates.addControl(
      language,
      new FormGroup({
        invitation: new FormControl(text.invitation, {
          nonNullable: true,
          validators: [required, Validators.maxLength(500)],
        }),
        reminder: new FormControl(text.reminder, {
          nonNullable: true,
          validators: [required, Validators.maxLength(500)],
        }),
      }),
    );
  }
  return new FormGroup(
    {
      smsSender: new FormControl(settings.smsSender, {
        nonNullable: true,
        validators: [required, Validators.pattern(SMS_SENDER)],
      }),
      waves: new FormArray(
        settings.waves.map((wave) => waveGroup(wave, settings.usedWaveKeys.includes(wave.key))),
      ),
      sendTime: new FormControl(settings.sendTime, {
        nonNullable: true,
        validators: [required, Validators.pattern(TIME)],
      }),
      quietHours: new FormGroup(
        {
          start: new FormControl(settings.quietHours.start, {
            nonNullable: true,
            validators: [required, Validators.pattern(TIME)],
          }),
          end: new FormControl(settings.quietHours.end, {
            nonNullable: true,
            validators: [required, Validators.pattern(TIME)],
          }),
          noSundays: new FormControl(settings.quietHours.noSundays, { nonNullable: true }),
          noPublicHolidays: new FormControl(settings.quietHours.noPublicHolidays, { nonNullable: true }),
        },
        { validators: [quietValidator] },
      ),
      reminders: new FormGroup({
        count: int(settings.reminders.count, 0, 3),
        afterHours: int(settings.reminders.afterHours, 1, 720),
      }),
      linkExpiryDays: int(settings.linkExpiryDays, 1, 30),
      thresholds: new FormGroup({
        mother: bandGroup('mother', settings),
        father: bandGroup('father', settings),
        co_parent: bandGroup('co_parent', settings),
      }),
      anxietyThreshold: int(settings.anxietyThreshold, 0, 9),
      showScoreToParent: new FormControl(settings.showScoreToParent, { nonNullable: true }),
      requireMfa: new FormControl(settings.requireMfa, { nonNullable: true }),
      alertListParentName: new FormControl<AlertListParentName>(settings.alertListParentName ?? 'initials', {
        nonNullable: true,
      }),
      onCallEmail: new FormControl(settings.onCallEmail ?? '', {
        nonNullable: true,
        validators: [email, Validators.maxLength(254)],
      }),
      contactPhone: new FormControl(settings.contactPhone ?? '', {
        nonNullable: true,
        validators: [Validators.pattern(PHONE)],
      }),
      contactAttemptsBeforeUnreachable: int(settings.contactAttemptsBeforeUnreachable, 1, 10),
      deadlines: new FormGroup({
        urgent: deadlineGroup(settings.deadlines.urgent),
        high: deadlineGroup(settings.deadlines.high),
        moderate: deadlineGroup(settings.deadlines.moderate),
        low: deadlineGroup(settings.deadlines.low),
      }),
      smsTemplates: templates,
      localResources: new FormArray(settings.localResources.map(resourceGroup)),
    },
    { validators: [reminderValidator] },
  );
}

export type SettingsForm = ReturnType<typeof createSettingsForm>;
/** One local resource's row of the form. */
export type ResourceForm = ReturnType<typeof resourceGroup>;

const optional = (value: string): string | undefined => (value.trim() ? value.trim() : undefined);

/** The PATCH body: every section (arrays replace, so waves and resources are sent whole). */
export function toSettingsPatch(form: SettingsForm): OrganisationSettingsPatch {
  const value = form.getRawValue();
  const deadlines = {} as Record<AlertSeverity, AlertDeadlineSetting>;
  for (const severity of ALERT_SEVERITIES) {
    const deadline = value.deadlines[severity];
    deadlines[severity] = {
      acknowledgeHours: Number(deadline.acknowledgeHours),
      ...(deadline.contactUnit === 'workingDays'
        ? { contactWorkingDays: Number(deadline.contactValue) }
        : { contactHours: Number(deadline.contactValue) }),
    };
  }
  const thresholds = {} as Record<ParentRole, { moderate: number; high: number }>;
  for (const role of PARENT_ROLES) {
    thresholds[role] = {
      moderate: Number(value.thresholds[role].moderate),
      high: Number(value.thresholds[role].high),
    };
  }
  return {
    smsSender: value.smsSender.trim(),
    waves: value.waves.map((wave) => ({
      key: wave.key,
      offsetDays: Number(wave.offsetDays),
      windowStartDay: Number(wave.windowStartDay),
      windowEndDay: Number(wave.windowEndDay),
      noResponseTask: wave.noResponseTask,
      ...(wave.roles.length > 0 ? { roles: [...wave.roles] } : {}),
      ...(wave.rescreen ? { rescreen: wave.rescreen } : {}),
    })),
    sendTime: value.sendTime,
    quietHours: { ...value.quietHours },
    reminders: { count: Number(value.reminders.count), afterHours: Number(value.reminders.afterHours) },
    linkExpiryDays: Number(value.linkExpiryDays),
    thresholds,
    anxietyThreshold: Number(value.anxietyThreshold),
    showScoreToParent: value.showScoreToParent,
    requireMfa: value.requireMfa,
    alertListParentName: value.alertListParentName,
    onCallEmail: optional(value.onCallEmail) ?? null,
    contactPhone: optional(value.contactPhone) ?? null,
    contactAttemptsBeforeUnreachable: Number(value.contactAttemptsBeforeUnreachable),
    deadlines,
    smsTemplates: Object.fromEntries(
      Object.entries(value.smsTemplates).map(([language, text]) => [
        language,
        { invitation: text.invitation, reminder: text.reminder },
      ]),
    ),
    localResources: value.localResources.map((resource) => {
      const phone = optional(resource.phone);
      const url = optional(resource.url);
      const description = optional(resource.description);
      return {
        name: resource.name.trim(),
        ...(phone ? { phone } : {}),
        ...(url ? { url } : {}),
        ...(description ? { description } : {}),
      };
    }),
  };
}

/** The message under a settings field: the API's own when it sent one, else the broken rule in plain words. */
export function settingsErrorText(
  errors: Record<string, unknown> | null,
  t: (
    key: 'enrol.errors.required' | 'settings.outOfRange' | 'users.emailInvalid' | 'settings.invalid',
  ) => string,
): string {
  if (!errors) return '';
  if (typeof errors['server'] === 'string') return errors['server'];
  if (errors['required']) return t('enrol.errors.required');
  if (errors['min'] || errors['max'] || errors['pattern']) return t('settings.outOfRange');
  if (errors['email']) return t('users.emailInvalid');
  return t('settings.invalid');
}

/** API field path ("waves[1].offsetDays", "deadlines.high.contactHours") → form control path. */
export function controlPath(field: string): string {
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^deadlines\.(\w+)\.(contactHours|contactWorkingDays)$/, 'deadlines.$1.contactValue');
}

/** Puts each 400 detail on its control (`server` error) and returns those that match none. */
export function applySettingsErrors(form: SettingsForm, error: ApiError): string[] {
  const unmatched: string[] = [];
  for (const [field, message] of Object.entries(fieldErrors(error))) {
    const control = form.get(controlPath(field));
    if (control) {
      control.setErrors({ ...(control.errors ?? {}), server: message });
      control.markAsTouched();
    } else {
      unmatched.push(`${field}: ${message}`);
    }
  }
  return unmatched;
}
