import { gzipSync } from 'node:zlib';
import { makeOrganisation } from '../../testing/factories.js';
import { answersWorth, makeLinkedInvitation, parseHtml } from '../../testing/questionnaire-factories.js';
import { publicVisitorPerTest, screenAfterReading } from '../../testing/jest/public-visitor.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ReferralResourceEntity } from '../referrals/referral-resource.entity.js';
import { directoryLocalResources } from './directory-resources.js';
import { startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';

const formOf = (answers: readonly number[]): Record<string, string> =>
  Object.fromEntries(answers.map((answer, index) => [`q${index + 1}`, String(answer)]));
// Item 10 "sometimes" (positive), the rest "as much as always".
const ITEM10 = formOf(answersWorth([0, 0, 0, 0, 0, 0, 0, 0, 0, 2]));
const LOW = formOf(answersWorth([0, 1, 0, 1, 0, 1, 0, 1, 0, 0]));

/** The resources of a page, in order, as a parent reads them (name of each item). */
const resourceNames = (html: string): string[] =>
  parseHtml(html)
    .$$('.res li h3')
    .map((heading) => heading.text.trim());

describe('referral directory entries as local resources', () => {
  it('says what, where, in which languages and how soon, in the page’s language, phones as dialled in France', () => {
    const entry = {
      name: 'CMP Lens-Centre',
      kind: 'cmp' as const,
      address: '12 rue de Paris, 62300 Lens',
      phone: '+33321112233',
      languages: ['fr', 'ar'],
      usualDelayDays: 1,
    };
    expect(directoryLocalResources('fr', [entry])).toEqual([
      {
        name: 'CMP Lens-Centre',
        phone: '03 21 11 22 33',
        description:
          'Centre médico-psychologique (CMP). 12 rue de Paris, 62300 Lens. Langues\u00a0: français, arabe. Premier rendez-vous en 1 jour environ.',
      },
    ]);
    const [english] = directoryLocalResources('en', [
      { ...entry, address: null, phone: null, languages: [], usualDelayDays: 21, kind: 'mother_baby_unit' },
    ]);
    expect(english).toEqual({
      name: 'CMP Lens-Centre',
      description: 'Mother and baby unit. First appointment in about 21 days.',
    });
  });
});

describe('result pages show the local referral directory (real Postgres and Redis)', () => {
  let { environment, api: app, dataSource } = {} as TestApi;
  let lens: OrganisationEntity;
  const visitor = publicVisitorPerTest(
    () => app,
    (test) => `203.0.113.${test}`,
  );
  const { postForm } = visitor;

  const addEntry = (organisation: OrganisationEntity, values: Partial<ReferralResourceEntity>) =>
    dataSource.getRepository(ReferralResourceEntity).save({
      organisationId: organisation.id,
      kind: 'cmp',
      address: null,
      phone: null,
      languages: [],
      acceptsNewPatients: true,
      usualDelayDays: null,
      name: 'x',
      ...values,
    });

  const screen = (fields: Record<string, string>) => screenAfterReading(visitor, environment.clock, fields);

  beforeAll(async () => {
    ({ environment, api: app, dataSource } = await startTestApi());
    lens = await makeOrganisation(dataSource, {
      name: 'Maternité de Lens',
      departement: '62',
      settings: { contactPhone: '03 21 00 00 00', servedPostalCodes: ['62300'] },
    });
    const elsewhere = await makeOrganisation(dataSource, { name: 'PMI de Metz', departement: '57' });
    await addEntry(lens, {
      name: 'Unité mère-bébé de Lens',
      kind: 'mother_baby_unit',
      address: '1 place de la Gare, 62300 Lens',
      phone: '+33321445566',
      usualDelayDays: 10,
    });
    await addEntry(lens, { name: 'CMP Lens-Centre', phone: '+33321112233', languages: ['fr', 'en'] });
    // Not taking new patients: no help to a parent today.
    await addEntry(lens, {
      name: 'Psychologue complet',
      kind: 'private_psychologist',
      acceptsNewPatients: false,
    });
    // Another organisation's directory never shows.
    await addEntry(elsewhere, { name: 'CMP de Metz', phone: '+33387000000' });
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  it('an invited parent with item 10 positive reads the emergency numbers, then the organisation’s own places', async () => {
    const { tokens } = await makeLinkedInvitation(dataSource, lens);
    const token = tokens[0]!;
    const response = await postForm(`/q/${token}`, { lang: 'fr', ...ITEM10 }).expect(200);
    const names = resourceNames(response.text);
    const emergencyCount = parseHtml(response.text).$$('.res li.u').length;
    expect(emergencyCount).toBe(3);
    const cmp = names.indexOf('CMP Lens-Centre');
    const unit = names.indexOf('Unité mère-bébé de Lens');
    expect(cmp).toBeGreaterThanOrEqual(emergencyCount);
    expect(unit).toBeGreaterThan(cmp);
    expect(names).not.toContain('Psychologue complet');
    expect(names).not.toContain('CMP de Metz');
    const unitItem = parseHtml(response.text).$$('.res li')[unit]!;
    expect(unitItem.text).toContain('Unité mère-bébé. 1 place de la Gare, 62300 Lens.');
    expect(unitItem.text).toContain('Premier rendez-vous en 10 jours environ.');
    expect(unitItem.$('a.tel')?.attr('href')).toBe('tel:0321445566');
    expect(unitItem.$('a.tel')?.text).toContain('03 21 44 55 66');
    // A light page, without JavaScript, and no health data in any link it holds.
    expect(gzipSync(response.text).length).toBeLessThan(20 * 1024);
    expect(response.text).not.toContain('<script');
    for (const link of parseHtml(response.text).$$('a'))
      expect(link.attr('href') ?? '').not.toMatch(/score|band|item10|positive/i);
  });

  it('without item 10, the places come after the national support and before the emergency numbers', async () => {
    const { tokens } = await makeLinkedInvitation(dataSource, lens);
    const response = await postForm(`/q/${tokens[0]!}`, { lang: 'en', ...LOW }).expect(200);
    const names = resourceNames(response.text);
    expect(names.indexOf('CMP Lens-Centre')).toBeGreaterThan(names.indexOf('Allô Parents en crise'));
    expect(names.indexOf('Unité mère-bébé de Lens')).toBeLessThan(
      names.indexOf('SAMU (emergency medical service)'),
    );
    expect(response.text).toContain('Public mental health centre (CMP). Languages: French, English.');
  });

  it('the self-screening result shows the places of the organisation the postal code routes to, if any', async () => {
    const served = await screen({ ...ITEM10, cp: '62300' });
    expect(served.status).toBe(200);
    const names = resourceNames(served.text);
    expect(parseHtml(served.text).$$('.res li')[0]?.attr('class')).toBe('u');
    expect(names).toContain('CMP Lens-Centre');
    expect(names).toContain('Unité mère-bébé de Lens');
    expect(names).not.toContain('CMP de Metz');
    expect(gzipSync(served.text).length).toBeLessThan(20 * 1024);

    // Another postal code of the same département routes to its organisation too.
    expect(resourceNames((await screen({ ...LOW, cp: '62100' })).text)).toContain('CMP Lens-Centre');
    // A département no organisation covers, or no postal code: national resources only.
    for (const cp of ['13001', '']) {
      const names = resourceNames((await screen({ ...LOW, cp })).text);
      expect(names).toContain('Allô Parents en crise');
      expect(names).not.toContain('CMP Lens-Centre');
      expect(names).not.toContain('CMP de Metz');
    }
  });
});
