import { DEFAULT_ORGANISATION_SETTINGS } from '../organisation-settings.js';
import { SUPPORTED_EPDS_LANGUAGES } from '../epds/types.js';
import { helpResources, telUri, type OrganisationHelpResources } from './help-resources.js';

const organisation: OrganisationHelpResources = {
  contactPhone: '03 21 00 00 00',
  localResources: [
    {
      name: 'CMP périnatal de Lens',
      phone: '03 21 11 11 11',
      description: 'Consultations sans avance de frais.',
    },
    { name: 'Groupe de parole', url: 'https://example.org/groupe' },
  ],
};

describe('helpResources', () => {
  it('puts the emergency numbers first when item 10 is positive', () => {
    const resources = helpResources('fr', { item10Positive: true, band: 'low' }, organisation);
    expect(resources.map((resource) => [resource.kind, resource.phone ?? resource.url])).toEqual([
      ['emergency', '3114'],
      ['emergency', '15'],
      ['emergency', '112'],
      ['organisation', '03 21 00 00 00'],
      ['national', '0 805 382 300'],
      ['national', 'https://www.maman-blues.fr'],
      ['local', '03 21 11 11 11'],
      ['local', 'https://example.org/groupe'],
    ]);
  });

  it.each(['low', 'moderate', 'high'] as const)(
    'puts national support first and emergency after otherwise (band %s)',
    (band) => {
      const resources = helpResources('fr', { item10Positive: false, band }, organisation);
      expect(resources.map((resource) => resource.kind)).toEqual([
        'national',
        'national',
        'organisation',
        'local',
        'local',
        'emergency',
        'emergency',
        'emergency',
      ]);
      expect(resources[0]).toMatchObject({ name: 'Allô Parents en crise', phone: '0 805 382 300' });
      expect(resources[1]).toMatchObject({ name: 'Maman Blues', url: 'https://www.maman-blues.fr' });
      expect(resources.slice(-3).map((resource) => resource.phone)).toEqual(['3114', '15', '112']);
    },
  );

  it('describes 3114 as the free national suicide-prevention line, open 24/7', () => {
    const [fr] = helpResources('fr', { item10Positive: true, band: 'high' }, organisation);
    expect(fr).toEqual({
      kind: 'emergency',
      name: '3114, numéro national de prévention du suicide',
      phone: '3114',
      url: 'https://3114.fr',
      description: 'Gratuit, 24 h/24 et 7 j/7. Pour vous, ou si vous êtes inquiet pour un proche.',
    });
    const [en] = helpResources('en', { item10Positive: true, band: 'high' }, organisation);
    expect(en?.description).toContain('Free, 24 hours a day, 7 days a week');
  });

  it('lists the same numbers in the same order in every language', () => {
    const contacts = SUPPORTED_EPDS_LANGUAGES.map((language) =>
      helpResources(language, { item10Positive: true, band: 'high' }, organisation).map(
        (resource) => `${resource.kind} ${resource.phone ?? ''} ${resource.url ?? ''}`,
      ),
    );
    for (const list of contacts) expect(list).toEqual(contacts[0]);
  });

  it('has text for every resource', () => {
    for (const language of SUPPORTED_EPDS_LANGUAGES) {
      for (const resource of helpResources(language, { item10Positive: false, band: 'low' }, organisation)) {
        expect(resource.name.trim()).not.toBe('');
        if (resource.kind !== 'local') expect(resource.description.trim()).not.toBe('');
        expect(resource.phone ?? resource.url).toBeDefined();
      }
    }
  });

  it('names the organisation when known', () => {
    const resources = helpResources(
      'en',
      { item10Positive: false, band: 'moderate' },
      { ...organisation, organisationName: 'Maternité des Lilas' },
    );
    expect(resources.find((resource) => resource.kind === 'organisation')).toEqual({
      kind: 'organisation',
      name: 'Maternité des Lilas',
      phone: '03 21 00 00 00',
      description: 'The professionals who support you. You can call them to talk about it.',
    });
  });

  it('keeps local resources as configured, without empty fields', () => {
    const local = helpResources('fr', { item10Positive: false, band: 'low' }, organisation).filter(
      (resource) => resource.kind === 'local',
    );
    expect(local).toEqual([
      {
        kind: 'local',
        name: 'CMP périnatal de Lens',
        phone: '03 21 11 11 11',
        description: 'Consultations sans avance de frais.',
      },
      { kind: 'local', name: 'Groupe de parole', url: 'https://example.org/groupe', description: '' },
    ]);
  });

  it('works with the default settings (no contact phone, no local resource)', () => {
    const resources = helpResources(
      'fr',
      { item10Positive: false, band: 'low' },
      DEFAULT_ORGANISATION_SETTINGS,
    );
    expect(resources.map((resource) => resource.phone ?? resource.url)).toEqual([
      '0 805 382 300',
      'https://www.maman-blues.fr',
      '3114',
      '15',
      '112',
    ]);
  });

  it('returns copies', () => {
    const first = helpResources('fr', { item10Positive: true, band: 'low' }, organisation);
    if (first[0]) first[0].phone = '0000';
    expect(helpResources('fr', { item10Positive: true, band: 'low' }, organisation)[0]?.phone).toBe('3114');
  });
});

describe('telUri', () => {
  it.each([
    ['3114', 'tel:3114'],
    ['0 805 382 300', 'tel:0805382300'],
    ['03.21.00.00.00', 'tel:0321000000'],
    ['+33 3 21 00 00 00', 'tel:+33321000000'],
  ])('%s gives %s', (phone, uri) => {
    expect(telUri(phone)).toBe(uri);
  });
});
