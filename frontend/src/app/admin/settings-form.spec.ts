import { DEFAULT_ORGANISATION_SETTINGS, type OrganisationSettingsResponse } from '@lien/shared';
import { DAY120_WAVE } from './settings.fixtures';
import { applySettingsErrors, controlPath, createSettingsForm, toSettingsPatch } from './settings-form';
import { assignableRoles } from './users.page';
import { anApiError } from '../ui/spec-helpers';

const SETTINGS: OrganisationSettingsResponse = {
  ...DEFAULT_ORGANISATION_SETTINGS,
  localResources: [{ name: 'CMP Arras', phone: '03 21 00 00 00' }],
  smsSender: 'PMI62',
  usedWaveKeys: [],
};

describe('organisation settings form', () => {
  it('round-trips the settings into the PATCH body unchanged', () => {
    const form = createSettingsForm(SETTINGS);
    expect(form.valid).toBe(true);
    const patch = toSettingsPatch(form);
    const { smsSender, ...settings } = patch;
    expect(smsSender).toBe('PMI62');
    expect(settings).toEqual({
      ...DEFAULT_ORGANISATION_SETTINGS,
      // Not set yet: initials, the default, now said explicitly.
      alertListParentName: 'initials',
      localResources: [{ name: 'CMP Arras', phone: '03 21 00 00 00' }],
    });
  });

  it('locks the key of a wave invitations already carry, and still sends it', () => {
    const form = createSettingsForm({ ...SETTINGS, usedWaveKeys: ['day7'] });
    const [day7, day42] = form.controls.waves.controls;
    expect(day7?.controls.key.disabled).toBe(true);
    expect(day42?.controls.key.enabled).toBe(true);
    expect(form.valid).toBe(true);
    expect(toSettingsPatch(form).waves?.map((wave) => wave.key)).toEqual(['day7', 'day42']);
  });

  it('keeps a wave’s target roles and re-screen rule through a save', () => {
    const waves = [...DEFAULT_ORGANISATION_SETTINGS.waves, DAY120_WAVE];
    const patch = toSettingsPatch(createSettingsForm({ ...SETTINGS, waves }));
    expect(patch.waves).toEqual(waves);
  });

  it('checks the rules the API checks: thresholds 0–30 and ordered, quiet hours ordered, reminders before expiry', () => {
    const form = createSettingsForm(SETTINGS);
    form.controls.thresholds.controls.father.controls.high.setValue(31);
    expect(form.controls.thresholds.controls.father.controls.high.errors?.['max']).toBeTruthy();
    form.controls.thresholds.controls.father.setValue({ moderate: 12, high: 10 });
    expect(form.controls.thresholds.controls.father.errors).toEqual({ bandOrder: true });
    form.controls.quietHours.controls.start.setValue('21:00');
    expect(form.controls.quietHours.errors).toEqual({ quietOrder: true });
    form.controls.reminders.setValue({ count: 3, afterHours: 72 });
    expect(form.errors).toEqual({ reminderAfterExpiry: true });
    form.controls.waves.at(0).controls.windowEndDay.setValue(3);
    expect(form.controls.waves.at(0).errors).toEqual({ windowEnd: true });
    expect(form.valid).toBe(false);
  });

  it('sends the contact deadline in the chosen unit', () => {
    const form = createSettingsForm(SETTINGS);
    form.controls.deadlines.controls.high.setValue({
      acknowledgeHours: 12,
      contactUnit: 'hours',
      contactValue: 36,
    });
    expect(toSettingsPatch(form).deadlines?.high).toEqual({ acknowledgeHours: 12, contactHours: 36 });
  });

  it("puts the API's field paths on the matching controls", () => {
    expect(controlPath('waves[1].offsetDays')).toBe('waves.1.offsetDays');
    expect(controlPath('deadlines.high.contactWorkingDays')).toBe('deadlines.high.contactValue');
    const form = createSettingsForm(SETTINGS);
    const unmatched = applySettingsErrors(
      form,
      anApiError(400, {
        message: 'Invalid settings',
        details: [
          { field: 'smsTemplates.fr.invitation', message: 'forbidden word "PMI"' },
          { field: 'thresholds.mother.high', message: 'must be at most 30' },
          { field: 'somethingNew', message: 'unknown' },
        ],
      }),
    );
    expect(form.get('smsTemplates.fr.invitation')?.errors?.['server']).toBe('forbidden word "PMI"');
    expect(form.controls.thresholds.controls.mother.controls.high.errors?.['server']).toBe(
      'must be at most 30',
    );
    expect(unmatched).toEqual(['somethingNew: unknown']);
  });

  it('lets org admins give professional and admin roles only', () => {
    expect(assignableRoles('org_admin')).toEqual(['professional', 'org_admin']);
    expect(assignableRoles('professional')).toEqual([]);
    expect(assignableRoles('platform_admin')).toContain('coordinator');
  });
});
