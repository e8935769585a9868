import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { ContactRequestChannel, EpdsBand, ParentRole, ReportCell } from '@lien/shared';
import {
  makeArrasAndMetz,
  minutesAfter,
  reportAlert,
  reportInvitation,
  reportParent,
  reportResponse,
  startReportsApi,
  type ReportsApi,
  type ReportUsers,
} from '../../testing/reports-factories.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ContactRequestEntity } from '../screening/contact-request.entity.js';
import { ScreeningSourceEntity } from '../screening/screening-source.entity.js';
import { SelfScreeningEntity } from '../screening/self-screening.entity.js';
import { stopTestApi } from '../../testing/api-spec.js';

jest.setTimeout(90_000);

const PERIOD = { from: '2026-01-01', to: '2026-03-31' };
const shown = (value: number): ReportCell => ({ value, suppressed: false });
const small = { value: null, suppressed: true, reason: 'small_count' };
const smallSample = { value: null, suppressed: true, reason: 'small_sample' };
const DAY = 1440;

async function source(dataSource: DataSource, organisation: OrganisationEntity, code: string, name: string) {
  return dataSource
    .getRepository(ScreeningSourceEntity)
    .save({ organisationId: organisation.id, code, name, partner: null });
}

async function selfScreening(
  dataSource: DataSource,
  values: {
    source: ScreeningSourceEntity | 'direct';
    role?: ParentRole;
    band?: EpdsBand;
    item10Positive?: boolean;
    createdAt?: Date;
  },
): Promise<SelfScreeningEntity> {
  return dataSource.getRepository(SelfScreeningEntity).save({
    sourceId: values.source === 'direct' ? null : values.source.id,
    sourceCode: values.source === 'direct' ? 'direct' : values.source.code,
    role: values.role ?? 'mother',
    childAge: '3-6w',
    departement: '62',
    language: 'fr',
    band: values.band ?? 'low',
    item10Positive: values.item10Positive ?? false,
    anxietyFlag: false,
    createdAt: values.createdAt ?? new Date('2026-02-10T10:00:00Z'),
  });
}

/** A contact request and its alert (created with it), first contact `reachedAfter` minutes later. */
async function contactRequest(
  dataSource: DataSource,
  organisation: OrganisationEntity,
  values: {
    screening?: SelfScreeningEntity;
    channel: ContactRequestChannel;
    enrolled?: boolean;
    reachedAfter?: number;
    inCare?: boolean;
    createdAt?: Date;
  },
): Promise<void> {
  const createdAt = values.createdAt ?? new Date('2026-02-11T09:00:00Z');
  const saved = await dataSource.getRepository(ContactRequestEntity).save({
    organisationId: organisation.id,
    screeningId: values.screening?.id ?? null,
    routing: values.screening ? 'postal_code' : 'invited',
    postalCode: null,
    departement: organisation.departement,
    role: 'mother',
    language: 'fr',
    childAgeWeeks: 4,
    pregnant: false,
    band: 'high',
    item10Positive: false,
    firstNameEnc: 'placeholder',
    phoneEnc: 'placeholder',
    emailEnc: null,
    channel: values.channel,
    timeSlots: ['morning'],
    consentTextVersion: 'contact-test',
    consentedAt: createdAt,
    status: values.enrolled ? 'enrolled' : 'open',
    enrolledParentId: null,
    createdAt,
  });
  const firstContactAt =
    values.reachedAfter === undefined ? null : minutesAfter(createdAt, values.reachedAfter);
  await reportAlert(
    dataSource,
    { id: '', organisationId: organisation.id },
    {
      parentId: null,
      contactRequestId: saved.id,
      reasons: ['contact_request', 'high_score'],
      createdAt,
      firstContactAt,
      status: values.inCare ? 'in_care' : firstContactAt ? 'contacted' : 'open',
      inCareAt: values.inCare ? minutesAfter(createdAt, 3 * DAY) : null,
    },
  );
}

interface CascadeParent {
  role: ParentRole;
  positive: boolean;
  /** Minutes from the alert to the first contact; absent: never reached. */
  reachedAfter?: number;
  referred?: boolean;
  inCare?: boolean;
  answeredAt?: Date;
}

/** An enrolled parent who answered; a positive one has a positive alert, reached, referred a day after, in care two days after that. */
async function cascadeParent(dataSource: DataSource, organisation: OrganisationEntity, spec: CascadeParent) {
  const answeredAt = spec.answeredAt ?? new Date('2026-02-02T10:00:00Z');
  const parent = await reportParent(dataSource, organisation, {
    role: spec.role,
    createdAt: new Date('2026-01-10T10:00:00Z'),
  });
  const invitation = await reportInvitation(dataSource, parent, {
    dueAt: minutesAfter(answeredAt, -60),
    status: 'completed',
  });
  await reportResponse(dataSource, invitation, {
    band: spec.positive ? 'high' : 'low',
    createdAt: answeredAt,
    parentRole: spec.role,
  });
  if (!spec.positive) return parent;
  const reached = spec.reachedAfter === undefined ? null : minutesAfter(answeredAt, spec.reachedAfter);
  const referred = reached && spec.referred ? minutesAfter(reached, DAY) : null;
  const inCare = referred && spec.inCare ? minutesAfter(referred, 2 * DAY) : null;
  await reportAlert(dataSource, parent, {
    reasons: ['high_score'],
    createdAt: answeredAt,
    contactDueAt: minutesAfter(answeredAt, DAY),
    firstContactAt: reached,
    referredAt: referred,
    inCareAt: inCare,
    status: inCare ? 'in_care' : referred ? 'referred' : reached ? 'contacted' : 'open',
  });
  return parent;
}

/**
 * Known answers, Q1 2026 (Europe/Paris):
 * - A (62): source "caf-arras": 15 self-screenings (10 mothers, 5 fathers; 5 low, 5 moderate, 5 high, item 10 on
 *   the 5 high: 10 positive), 5 direct ones whose contact request went to A (high): 20 screenings, 15 positive.
 *   Contact requests: 5 from the direct screenings (call), 5 from caf-arras ones (SMS), 5 from invited parents
 *   (call); 10 reached after 60…600 minutes (median 330), 5 enrolled, 5 in care.
 *   Cascade: 20 mothers screened (15 positive, 10 reached, 5 referred, 5 in care; 5 reached within the day)
 *   and 10 fathers (5 positive, 5 reached within the day, 5 referred): 30 → 20 → 15 → 10 → 5.
 * - B (57): source "pmi-metz": 3 screenings, 1 contact request (SMS), 3 mothers screened, 2 positive, 1 reached.
 * - Nobody's: 3 direct screenings without a contact request (the platform-wide total only).
 * - Outside the period: a caf-arras screening and a screened mother in April.
 */
type Territory = Awaited<ReturnType<typeof buildTerritory>>;

async function buildTerritory(dataSource: DataSource) {
  const { arras: a, metz: b } = await makeArrasAndMetz(dataSource);
  const caf = await source(dataSource, a, 'caf-arras', 'CAF d’Arras');
  const metz = await source(dataSource, b, 'pmi-metz', 'PMI de Metz');

  const cafScreenings: SelfScreeningEntity[] = [];
  for (let index = 0; index < 15; index += 1) {
    const band: EpdsBand = index < 5 ? 'low' : index < 10 ? 'moderate' : 'high';
    cafScreenings.push(
      await selfScreening(dataSource, {
        source: caf,
        role: index % 3 === 2 ? 'father' : 'mother',
        band,
        item10Positive: band === 'high',
      }),
    );
  }
  await selfScreening(dataSource, { source: caf, createdAt: new Date('2026-04-02T10:00:00Z') });
  for (let index = 0; index < 3; index += 1) await selfScreening(dataSource, { source: 'direct' });
  const metzScreenings = [];
  for (let index = 0; index < 3; index += 1)
    metzScreenings.push(await selfScreening(dataSource, { source: metz }));

  const delays = [60, 120, 180, 240, 300, 360, 420, 480, 540, 600];
  for (let index = 0; index < 5; index += 1) {
    const direct = await selfScreening(dataSource, { source: 'direct', band: 'high' });
    await contactRequest(dataSource, a, {
      screening: direct,
      channel: 'call',
      reachedAfter: delays[index],
      enrolled: true,
      inCare: true,
    });
  }
  for (let index = 0; index < 5; index += 1) {
    await contactRequest(dataSource, a, {
      screening: cafScreenings[10 + index],
      channel: 'sms',
      reachedAfter: delays[5 + index],
    });
  }
  for (let index = 0; index < 5; index += 1) await contactRequest(dataSource, a, { channel: 'call' });
  await contactRequest(dataSource, b, { screening: metzScreenings[0], channel: 'sms', reachedAfter: 30 });

  // Mothers: 5 not positive (one of them with a non-response alert reached: not in the cascade), 15 positive.
  const outOfDeadline = [1500, 1600, 1700, 1800, 1900];
  for (let index = 0; index < 5; index += 1) {
    const parent = await cascadeParent(dataSource, a, { role: 'mother', positive: false });
    if (index === 0) {
      await reportAlert(dataSource, parent, {
        reasons: ['no_response'],
        severity: 'low',
        createdAt: new Date('2026-02-03T10:00:00Z'),
        firstContactAt: new Date('2026-02-03T11:00:00Z'),
        status: 'contacted',
      });
    }
  }
  for (let index = 0; index < 15; index += 1) {
    await cascadeParent(dataSource, a, {
      role: 'mother',
      positive: true,
      ...(index < 10
        ? { reachedAfter: index < 5 ? [30, 60, 90, 120, 150][index]! : outOfDeadline[index - 5]! }
        : {}),
      referred: index < 5,
      inCare: index < 5,
    });
  }
  // Fathers: 5 not positive, 5 positive, reached after 60 minutes and referred.
  for (let index = 0; index < 5; index += 1)
    await cascadeParent(dataSource, a, { role: 'father', positive: false });
  for (let index = 0; index < 5; index += 1)
    await cascadeParent(dataSource, a, { role: 'father', positive: true, reachedAfter: 60, referred: true });
  await cascadeParent(dataSource, a, {
    role: 'mother',
    positive: true,
    reachedAfter: 10,
    answeredAt: new Date('2026-04-05T10:00:00Z'),
  });

  await cascadeParent(dataSource, b, { role: 'mother', positive: false });
  await cascadeParent(dataSource, b, { role: 'mother', positive: true, reachedAfter: 45 });
  await cascadeParent(dataSource, b, { role: 'mother', positive: true });
  return { a, b };
}

/** Every count cell of a report, by path. */
function countsOf(value: unknown, path = ''): [string, ReportCell][] {
  if (value === null || typeof value !== 'object') return [];
  if ('suppressed' in value && 'value' in value) return [[path, value as ReportCell]];
  return Object.entries(value).flatMap(([key, child]) => countsOf(child, `${path}.${key}`));
}

describe('self-screening, contact requests and the care cascade in reports (real Postgres)', () => {
  let { environment, api: app, orgs, tokens, summary } = {} as ReportsApi<Territory>;
  const http = () => request(app.getHttpServer());

  /** Who reads the reports here, by the name `summary` takes. */
  const users: ReportUsers<Territory> = (orgs) => ({
    platform: { role: 'platform_admin' },
    coordinator62: { role: 'coordinator', territoryDepartements: ['62'] },
    coordinator57: { role: 'coordinator', territoryDepartements: ['57'] },
    adminB: { role: 'org_admin', organisationId: orgs.b.id },
  });

  beforeAll(async () => {
    ({ environment, api: app, orgs, tokens, summary } = await startReportsApi(buildTerritory, users));
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  it('counts self-screenings by source, role and band for one organisation', async () => {
    const report = await summary('platform', { ...PERIOD, organisationId: orgs.a.id });
    expect(report.total.selfScreenings).toEqual({
      screenings: shown(20),
      bySource: [
        { source: 'caf-arras', name: 'CAF d’Arras', screenings: shown(15), positive: shown(10) },
        { source: 'direct', name: null, screenings: shown(5), positive: shown(5) },
      ],
      byRole: { mother: shown(15), father: shown(5), co_parent: shown(0) },
      byBand: { low: shown(5), moderate: shown(5), high: shown(10) },
      item10Positive: shown(5),
      positive: shown(15),
      positiveRate: shown(0.75),
    });
  });

  it('counts contact requests by channel, origin and source, their median time to first contact and what became of them', async () => {
    const report = await summary('platform', { ...PERIOD, organisationId: orgs.a.id });
    expect(report.total.contactRequests).toEqual({
      requests: shown(15),
      byChannel: { call: shown(10), sms: shown(5), email: shown(0) },
      byOrigin: { self_screening: shown(10), invited: shown(5) },
      bySource: [
        { source: 'caf-arras', name: 'CAF d’Arras', requests: shown(5) },
        { source: 'direct', name: null, requests: shown(5) },
      ],
      reached: shown(10),
      // (300 + 360) / 2 minutes.
      medianMinutesToFirstContact: shown(330),
      enrolled: shown(5),
      inCare: shown(5),
      enrolledRate: shown(0.3333),
      inCareRate: shown(0.3333),
    });
  });

  it('measures the care cascade step by step, by role, with median delays and the share reached in time', async () => {
    const report = await summary('platform', { ...PERIOD, organisationId: orgs.a.id });
    const { byRole, ...all } = report.total.cascade;
    expect(all).toEqual({
      screened: shown(30),
      positive: shown(20),
      reached: shown(15),
      referred: shown(10),
      inCare: shown(5),
      reachedWithinDeadline: shown(10),
      reachedWithinDeadlineRate: shown(0.5),
      // 30, 60×6, 90, 120, 150, 1500… → the 8th of 15: 90 minutes; referral a day later; care two days later.
      medianMinutes: {
        positiveToReached: shown(90),
        reachedToReferred: shown(DAY),
        referredToInCare: shown(2 * DAY),
      },
    });
    expect(byRole.mother).toMatchObject({
      screened: shown(20),
      positive: shown(15),
      reached: shown(10),
      referred: shown(5),
      inCare: shown(5),
      reachedWithinDeadline: shown(5),
      reachedWithinDeadlineRate: shown(0.3333),
    });
    expect(byRole.father).toMatchObject({
      screened: shown(10),
      positive: shown(5),
      reached: shown(5),
      referred: shown(5),
      inCare: shown(0),
      reachedWithinDeadline: shown(5),
      medianMinutes: { positiveToReached: shown(60), reachedToReferred: shown(DAY) },
    });
    // No father in care: an undefined delay, not a hidden one.
    expect(byRole.father.medianMinutes.referredToInCare).toEqual({ value: null, suppressed: false });
  });

  it('hides small counts as "<5" and medians over fewer than 5 people as a small sample, never "<5"', async () => {
    const report = await summary('platform', { ...PERIOD, organisationId: orgs.b.id });
    const { selfScreenings, contactRequests, cascade } = report.total;
    expect(selfScreenings.screenings).toEqual(small);
    expect(selfScreenings.bySource).toEqual([
      { source: 'pmi-metz', name: 'PMI de Metz', screenings: small, positive: shown(0) },
    ]);
    expect(selfScreenings.positiveRate).toMatchObject({ suppressed: true, reason: 'count_suppressed' });
    expect(contactRequests.requests).toEqual(small);
    expect(contactRequests.byChannel.sms).toEqual(small);
    expect(contactRequests.medianMinutesToFirstContact).toEqual(smallSample);
    expect(cascade.screened).toEqual(small);
    expect(cascade.positive).toEqual(small);
    expect(cascade.medianMinutes.positiveToReached).toEqual(smallSample);
    expect(cascade.reachedWithinDeadlineRate).toMatchObject({ suppressed: true, reason: 'count_suppressed' });
    for (const [path, cell] of countsOf({ selfScreenings, contactRequests, cascade })) {
      // No figure from 1 to 4 leaves the API, and "small_count" is only ever a count's reason.
      if (!cell.suppressed)
        expect([path, cell.value !== null && cell.value > 0 && cell.value < 5]).toEqual([path, false]);
      if (cell.reason === 'small_count') expect(path).not.toMatch(/Rate|median/i);
    }
  });

  it('counts a screening no organisation holds in the platform-wide report only', async () => {
    const everything = await summary('platform', PERIOD);
    // 20 of A, 3 of B, 3 direct ones without a request.
    expect(everything.total.selfScreenings.screenings).toEqual(shown(26));
    expect(everything.total.selfScreenings.bySource.map((line) => line.source)).toEqual([
      'caf-arras',
      'pmi-metz',
      'direct',
    ]);
    const byOrganisation = await summary('platform', { ...PERIOD, groupBy: 'organisation' });
    const groups = byOrganisation.groups.map((group) => [
      group.label,
      group.indicators.selfScreenings.screenings,
    ]);
    // 26 = 20 + "<5" + 3 held by nobody: the small one cannot be worked out.
    expect(groups).toEqual([
      ['PMI Arras', shown(20)],
      ['PMI Metz', small],
    ]);
    expect(byOrganisation.total.selfScreenings.screenings).toEqual(shown(26));
  });

  it('keeps a coordinator to their territory, and an org admin to their organisation', async () => {
    const north = await summary('coordinator62', PERIOD);
    expect(north.roundingBase).toBe(5);
    expect(north.total.selfScreenings.screenings).toEqual(shown(20));
    expect(north.total.selfScreenings.bySource.map((line) => line.source)).toEqual(['caf-arras', 'direct']);
    expect(north.total.contactRequests.requests).toEqual(shown(15));
    expect(north.total.cascade.screened).toEqual(shown(30));
    expect(north.total.cascade.medianMinutes.positiveToReached).toEqual(shown(90));

    const east = await summary('coordinator57', PERIOD);
    expect(east.total.selfScreenings.screenings).toEqual(small);
    expect(east.total.contactRequests.requests).toEqual(small);
    expect(east.total.selfScreenings.bySource.map((line) => line.source)).toEqual(['pmi-metz']);
    const admin = await summary('adminB', PERIOD);
    expect(admin.total.cascade.screened).toEqual(small);

    await summary('coordinator62', { ...PERIOD, territory: '57' }, 403);
  });

  it('exports the new figures in the French CSV, with the mark of a hidden figure in its own column', async () => {
    const response = await http()
      .get('/api/reports/export.csv')
      .query({ ...PERIOD, separator: 'semicolon' })
      .auth(tokens.coordinator57!, { type: 'bearer' })
      .expect(200);
    const lines = response.text.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'début;fin;groupe;libellé du groupe;indicateur;nom de l’indicateur;dimension;unité;valeur;secret statistique;motif du secret',
    );
    expect(lines).toContain(
      '2026-01-01;2026-03-31;total;Total;self_screenings;Autodépistages;all;effectif;;<5;effectif de 1 à 4',
    );
    expect(lines).toContain(
      '2026-01-01;2026-03-31;total;Total;contact_requests;Demandes de contact;channel=sms;effectif;;<5;effectif de 1 à 4',
    );
    expect(lines).toContain(
      '2026-01-01;2026-03-31;total;Total;contact_requests_first_contact_median;Délai médian entre la demande et le premier contact;all;minutes;;s;durée non calculée : moins de 5 personnes',
    );
    expect(lines).toContain(
      '2026-01-01;2026-03-31;total;Total;cascade_screened;Étape 1 : parents dépistés;role=all;effectif;;<5;effectif de 1 à 4',
    );
    // "<5" is a count's mark only.
    for (const line of lines.filter((text) => text.includes(';<5;')))
      expect(line).toContain(';effectif;;<5;');

    const north = await http()
      .get('/api/reports/export.csv')
      .query(PERIOD)
      .auth(tokens.coordinator62!, { type: 'bearer' })
      .expect(200);
    const northLines = north.text.slice(1).split('\r\n');
    expect(northLines).toContain(
      '2026-01-01,2026-03-31,total,Total,cascade_median_positive_to_reached,Délai médian entre l’étape 2 et l’étape 3,role=all,minutes,90,,',
    );
    expect(northLines).toContain(
      '2026-01-01,2026-03-31,total,Total,self_screenings,Autodépistages,source=caf-arras,effectif,15,,',
    );
  });
});
