import { DEFAULT_ORGANISATION_SETTINGS, FATHERS_WAVE_EXAMPLE } from '@lien/shared';
import { applySettingsPatch, validateSettings } from './settings-validation.js';

const apply = (patch: unknown) => applySettingsPatch(DEFAULT_ORGANISATION_SETTINGS, 'PMI62', patch);
const fieldsOf = (patch: unknown) => apply(patch).problems.map((problem) => problem.field);

describe('validateSettings', () => {
  it('accepts the defaults of the brief', () => {
    expect(validateSettings(DEFAULT_ORGANISATION_SETTINGS)).toEqual([]);
  });

  it('names every missing and unknown top-level field', () => {
    const { waves: _waves, ...withoutWaves } = DEFAULT_ORGANISATION_SETTINGS;
    expect(validateSettings({ ...withoutWaves, colour: 'blue' }).map((problem) => problem.field)).toEqual(
      expect.arrayContaining(['waves', 'colour']),
    );
  });
});

describe('applySettingsPatch', () => {
  it('merges a partial patch onto the current settings and lists the touched fields', () => {
    const result = apply({ quietHours: { start: '08:30' }, reminders: { count: 2 } });
    expect(result.problems).toEqual([]);
    expect(result.settings.quietHours).toEqual({
      ...DEFAULT_ORGANISATION_SETTINGS.quietHours,
      start: '08:30',
    });
    expect(result.settings.reminders).toEqual({ count: 2, afterHours: 48 });
    expect(result.settings.thresholds).toEqual(DEFAULT_ORGANISATION_SETTINGS.thresholds);
    expect(result.changedFields).toEqual(['quietHours.start', 'reminders.count']);
  });

  it('does not modify the current settings object', () => {
    const before = JSON.stringify(DEFAULT_ORGANISATION_SETTINGS);
    apply({ quietHours: { start: '08:30' }, thresholds: { mother: { high: 14 } } });
    expect(JSON.stringify(DEFAULT_ORGANISATION_SETTINGS)).toBe(before);
  });

  it('replaces arrays as a whole', () => {
    const waves = [
      { key: 'day10', offsetDays: 10, windowStartDay: 5, windowEndDay: 20, noResponseTask: false },
    ];
    const result = apply({ waves });
    expect(result.problems).toEqual([]);
    expect(result.settings.waves).toEqual(waves);
  });

  it('accepts a wave for fathers and co-parents with a re-screen rule, the defaults staying as they were', () => {
    const waves = [
      ...DEFAULT_ORGANISATION_SETTINGS.waves,
      { ...FATHERS_WAVE_EXAMPLE, rescreen: { bands: ['moderate'], afterDays: 28, maxTimes: 2 } },
    ];
    const result = apply({ waves });
    expect(result.problems).toEqual([]);
    expect(result.settings.waves).toEqual(waves);
    expect(DEFAULT_ORGANISATION_SETTINGS.waves.map((wave) => [wave.key, wave.roles, wave.rescreen])).toEqual([
      ['day7', undefined, undefined],
      ['day42', undefined, undefined],
    ]);
  });

  it('removes a language with null but keeps French mandatory', () => {
    expect(apply({ smsTemplates: { en: null } }).settings.smsTemplates).not.toHaveProperty('en');
    expect(fieldsOf({ smsTemplates: { fr: null } })).toEqual(['smsTemplates.fr']);
  });

  it('changes the SMS sender with the settings', () => {
    const result = apply({ smsSender: 'Lien974' });
    expect(result.problems).toEqual([]);
    expect(result.smsSender).toBe('Lien974');
    expect(result.changedFields).toEqual(['smsSender']);
  });

  it.each([
    ['quiet hours start after end', { quietHours: { start: '21:00' } }, ['quietHours.start']],
    [
      'quiet hours start equal to end',
      { quietHours: { start: '20:00', end: '20:00' } },
      ['quietHours.start'],
    ],
    ['a time that is not HH:MM', { quietHours: { end: '25:00' } }, ['quietHours.end']],
    ['a send time without minutes', { sendTime: '10h' }, ['sendTime']],
    ['a threshold above 30', { thresholds: { mother: { high: 31 } } }, ['thresholds.mother.high']],
    ['a negative threshold', { thresholds: { father: { moderate: -1 } } }, ['thresholds.father.moderate']],
    [
      'a fractional threshold',
      { thresholds: { co_parent: { moderate: 10.5 } } },
      ['thresholds.co_parent.moderate'],
    ],
    [
      'moderate above high',
      { thresholds: { mother: { moderate: 14, high: 12 } } },
      ['thresholds.mother.moderate'],
    ],
    ['a text threshold', { thresholds: { mother: { high: '13' } } }, ['thresholds.mother.high']],
    ['an anxiety threshold above 9', { anxietyThreshold: 10 }, ['anxietyThreshold']],
    [
      'a wave at day 0',
      { waves: [{ key: 'd0', offsetDays: 0, windowStartDay: 0, windowEndDay: 3, noResponseTask: true }] },
      ['waves[0].offsetDays'],
    ],
    [
      'a window that does not contain the wave day',
      { waves: [{ key: 'day7', offsetDays: 7, windowStartDay: 8, windowEndDay: 6, noResponseTask: true }] },
      ['waves[0].windowStartDay', 'waves[0].windowEndDay'],
    ],
    [
      'duplicate wave keys',
      {
        waves: [
          { key: 'w', offsetDays: 7, windowStartDay: 0, windowEndDay: 14, noResponseTask: true },
          { key: 'w', offsetDays: 42, windowStartDay: 35, windowEndDay: 56, noResponseTask: true },
        ],
      },
      ['waves[1].key'],
    ],
    ['no wave at all', { waves: [] }, ['waves']],
    [
      'a wave for an unknown role, a role listed twice and no role at all',
      {
        waves: [
          { ...FATHERS_WAVE_EXAMPLE, key: 'a', roles: ['father', 'uncle'] },
          { ...FATHERS_WAVE_EXAMPLE, key: 'b', roles: ['father', 'father'] },
          { ...FATHERS_WAVE_EXAMPLE, key: 'c', roles: [] },
        ],
      },
      ['waves[0].roles[1]', 'waves[1].roles[1]', 'waves[2].roles'],
    ],
    [
      'a re-screen rule with a low band, a delay of 2 days, 9 times and an unknown field',
      {
        waves: [
          { ...FATHERS_WAVE_EXAMPLE, rescreen: { bands: ['low'], afterDays: 2, maxTimes: 9, when: 'x' } },
        ],
      },
      [
        'waves[0].rescreen.when',
        'waves[0].rescreen.bands[0]',
        'waves[0].rescreen.afterDays',
        'waves[0].rescreen.maxTimes',
      ],
    ],
    [
      'a re-screen rule without its fields',
      { waves: [{ ...FATHERS_WAVE_EXAMPLE, rescreen: {} }] },
      ['waves[0].rescreen.bands', 'waves[0].rescreen.afterDays', 'waves[0].rescreen.maxTimes'],
    ],
    [
      'a wave key that reads as a re-screen, and one too long for re-screens',
      {
        waves: [
          { ...FATHERS_WAVE_EXAMPLE, key: 'day7-r1' },
          {
            ...FATHERS_WAVE_EXAMPLE,
            key: 'fathers-month4',
            rescreen: { bands: ['moderate'], afterDays: 28, maxTimes: 1 },
          },
        ],
      },
      ['waves[0].key', 'waves[1].key'],
    ],
    ['four reminders', { reminders: { count: 4 } }, ['reminders.count']],
    ['reminders after 0 hours', { reminders: { afterHours: 0 } }, ['reminders.afterHours']],
    [
      'reminders after the link expired',
      { reminders: { count: 3, afterHours: 72 }, linkExpiryDays: 7 },
      ['reminders.afterHours'],
    ],
    ['a link expiry of 31 days', { linkExpiryDays: 31 }, ['linkExpiryDays']],
    ['a link expiry of 0 days', { linkExpiryDays: 0 }, ['linkExpiryDays']],
    ['an on-call address that is not an email', { onCallEmail: 'astreinte' }, ['onCallEmail']],
    [
      'a template without the link',
      { smsTemplates: { fr: { invitation: '{organisation} : bonjour' } } },
      ['smsTemplates.fr.invitation'],
    ],
    [
      'a template with a health word',
      { smsTemplates: { en: { reminder: 'Your EPDS: {link}' } } },
      ['smsTemplates.en.reminder'],
    ],
    [
      'a template language that is not a code',
      { smsTemplates: { French: { invitation: '{link}', reminder: '{link}' } } },
      ['smsTemplates.French'],
    ],
    ['a sender of 12 characters', { smsSender: 'ABCDEFGHIJKL' }, ['smsSender']],
    ['a sender with a space', { smsSender: 'PMI 62' }, ['smsSender']],
    ['an all-digit sender', { smsSender: '12345' }, ['smsSender']],
    ['an unknown setting', { colour: 'blue' }, ['colour']],
    ['an unknown nested setting', { quietHours: { lunch: true } }, ['quietHours.lunch']],
    ['a resource without phone or address', { localResources: [{ name: 'CMP' }] }, ['localResources[0]']],
    [
      'a resource with a javascript: address',
      { localResources: [{ name: 'CMP', url: 'javascript:alert(1)' }] },
      ['localResources[0].url'],
    ],
    [
      'a deadline of 0 hours',
      { deadlines: { urgent: { acknowledgeHours: 0 } } },
      ['deadlines.urgent.acknowledgeHours'],
    ],
    ['requireMfa as text', { requireMfa: 'yes' }, ['requireMfa']],
    ['a prototype key', JSON.parse('{"__proto__": {"polluted": true}}') as unknown, ['__proto__']],
  ])('refuses %s, naming the field', (_label, patch, fields) => {
    expect(fieldsOf(patch)).toEqual(fields);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a body that is not an object', () => {
    expect(fieldsOf([1, 2])).toEqual(['body']);
    expect(fieldsOf('x')).toEqual(['body']);
  });
});
