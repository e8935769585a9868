import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import request from 'supertest';
import type { AlertStreamMessage } from '@lien/shared';
import { auditCount, makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import {
  answersWorth as answerIndexesWorth,
  makeLinkedInvitation,
  parseHtml,
} from '../../testing/questionnaire-factories.js';
import { settingsPatcher } from '../../testing/settings-api.js';
import { formStampOf, publicVisitorPerTest, screenAfterReading } from '../../testing/jest/public-visitor.js';
import { TEST_REDIS_URL } from '../../testing/test-database.js';
import { AlertEntity } from '../alerts/alert.entity.js';
import { FollowUpEventEntity } from '../alerts/follow-up-event.entity.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ContactRequestEntity } from './contact-request.entity.js';
import { ScreeningSourceEntity } from './screening-source.entity.js';
import { SelfScreeningEntity } from './self-screening.entity.js';
import { CONTACT_MIN_SECONDS, SCREENING_MIN_SECONDS } from './screening.service.js';
import { signedBy, startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';

/** The form fields (`q1`…`q10`) of the options worth these points per item. */
const answersWorth = (points: readonly number[]): Record<string, string> =>
  Object.fromEntries(answerIndexesWorth(points).map((option, index) => [`q${index + 1}`, String(option)]));

const LOW = answersWorth([0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
// 11 points for a mother: moderate band, item 10 positive.
const ITEM10 = answersWorth([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);

describe('self-screening and contact requests over HTTP (real Postgres and Redis)', () => {
  let { environment, api: app, dataSource } = {} as TestApi;
  let pasDeCalais: OrganisationEntity;
  let lens: OrganisationEntity;
  let metz: OrganisationEntity;
  const http = () => request(app.getHttpServer());
  const visitor = publicVisitorPerTest(
    () => app,
    (test) => `2001:db8:${test.toString(16)}::1`,
  );
  const { get, postForm } = visitor;

  /** Opens the page, waits like a person would, and sends the form as a browser without JavaScript does. */
  const screen = (fields: Record<string, string>, path?: string, waitMs?: number) =>
    screenAfterReading(visitor, environment.clock, fields, path, waitMs);

  async function contact(resultHtml: string, fields: Record<string, string | string[]>, waitMs = 20_000) {
    environment.clock.advance(waitMs);
    return postForm('/depistage/contact', {
      lang: 'fr',
      ts: formStampOf(resultHtml),
      first_name: 'Camille',
      phone: '06 12 34 56 78',
      channel: 'call',
      consent: 'yes',
      ...fields,
    });
  }

  const requests = () => dataSource.getRepository(ContactRequestEntity).find({ order: { createdAt: 'ASC' } });
  const latestRequest = async () => (await requests()).at(-1)!;
  /** The contact form answered with the thank-you page promising `promise`: the request it stored. */
  const requestThanked = async (done: request.Response, promise: string): Promise<ContactRequestEntity> => {
    expect(done.status).toBe(200);
    expect(done.text).toContain(promise);
    return latestRequest();
  };
  /** A low screening with postal code `cp`, then a call-back asked for from there: the stored request. */
  const requestFrom = async (cp: string): Promise<ContactRequestEntity> => {
    const result = await screen({ ...LOW, cp });
    expect((await contact(result.text, { cp })).status).toBe(200);
    return latestRequest();
  };

  beforeAll(async () => {
    ({ environment, api: app, dataSource } = await startTestApi());
    pasDeCalais = await makeOrganisation(dataSource, {
      name: 'PMI du Pas-de-Calais',
      settings: { servedPostalCodes: ['62100'] },
    });
    lens = await makeOrganisation(dataSource, {
      name: 'Maternité de Lens',
      smsSender: 'Lens',
      settings: { servedPostalCodes: ['62300'] },
    });
    metz = await makeOrganisation(dataSource, {
      name: 'Maternité de Metz',
      departement: '57',
      region: 'Grand Est',
      smsSender: 'Metz',
    });
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  it('serves the page without JavaScript: a real form with the EPDS, the anonymous fields, under 20 kB compressed', async () => {
    const response = await get('/depistage').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['set-cookie']).toBeUndefined();
    const dom = parseHtml(response.text);
    expect(dom.lang).toBe('fr');
    const form = dom.$('form')!;
    expect(form.attrs.method).toBe('post');
    expect(form.attrs.action).toBe('/depistage');
    const radios = dom.$$('input').filter((element) => element.attrs.type === 'radio');
    const names = new Set(radios.map((radio) => radio.attrs.name));
    for (let number = 1; number <= 10; number += 1) expect(names.has(`q${number}`)).toBe(true);
    expect(names.has('role')).toBe(true);
    // No name or phone asked to screen.
    expect(response.text).not.toMatch(/name="(first_name|phone|email)"/);
    expect(gzipSync(response.text).length).toBeLessThan(20 * 1024);

    const english = await get('/depistage/leaflet-x?lang=en').expect(200);
    expect(parseHtml(english.text).lang).toBe('en');
    expect(english.text).toContain('action="/depistage/leaflet-x"');
  });

  it('stores a screening without a request with nothing identifying: no answers, no score, no IP, hour only; unknown codes count as "unknown"', async () => {
    const before = await dataSource.getRepository(AuditEventEntity).count();
    const response = await screen(
      { ...LOW, role: 'father', age: '5', cp: '62100' },
      '/depistage/nowhere-123',
    );
    expect(response.status).toBe(200);
    expect(response.text).toContain('Demander un contact avec un professionnel');
    const rows = await dataSource.query<Record<string, unknown>[]>(
      `SELECT * FROM self_screenings WHERE source_code = 'unknown'`,
    );
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(Object.keys(row).sort()).toEqual(
      [
        'id',
        'source_id',
        'source_code',
        'role',
        'child_age',
        'departement',
        'language',
        'band',
        'item10_positive',
        'anxiety_flag',
        'created_at',
      ].sort(),
    );
    expect(row).toMatchObject({
      role: 'father',
      child_age: '3-6w',
      departement: '62',
      band: 'low',
      item10_positive: false,
    });
    expect((row.created_at as Date).getTime() % 3_600_000).toBe(0);
    expect(JSON.stringify(row)).not.toContain('2001:db8');
    expect(JSON.stringify(row)).not.toContain('62100');
    // Nothing else was written about it: no contact request, no alert, no audit event.
    expect(await dataSource.getRepository(ContactRequestEntity).count()).toBe(0);
    expect(await dataSource.getRepository(AuditEventEntity).count()).toBe(before);
  });

  it('counts a known source by its code', async () => {
    const source = await dataSource
      .getRepository(ScreeningSourceEntity)
      .save({ organisationId: pasDeCalais.id, code: 'caf-62', name: 'CAF 62', partner: 'CAF' });
    expect((await screen(LOW, '/depistage/CAF-62')).status).toBe(200);
    const row = await dataSource.getRepository(SelfScreeningEntity).findOneByOrFail({ sourceCode: 'caf-62' });
    expect(row.sourceId).toBe(source.id);
  });

  it('item 10 positive + contact from 62100: an urgent alert on the Pas-de-Calais dashboard with its deadline, published live', async () => {
    const subscriber = new Redis(TEST_REDIS_URL);
    const messages: AlertStreamMessage[] = [];
    await subscriber.subscribe(`${environment.config.queuePrefix}:alerts:${pasDeCalais.id}`);
    subscriber.on('message', (_channel: string, text: string) =>
      messages.push(JSON.parse(text) as AlertStreamMessage),
    );
    try {
      const result = await screen({ ...ITEM10, cp: '62100' });
      expect(result.status).toBe(200);
      // Emergency resources first (3114), and the score is not shown.
      const firstResource = parseHtml(result.text).$('.res li');
      expect(firstResource?.attrs.class).toBe('u');
      expect(result.text.indexOf('3114')).toBeLessThan(
        result.text.indexOf('Demander un contact avec un professionnel'),
      );
      expect(parseHtml(result.text).$('main')!.text).not.toMatch(/score|\/ ?30/i);

      const done = await contact(result.text, { cp: '62100', slots: ['morning', 'evening'] });
      const stored = await requestThanked(done, 'PMI du Pas-de-Calais vous contactera dans les 4 heures');
      expect(stored).toMatchObject({
        organisationId: pasDeCalais.id,
        routing: 'postal_code',
        item10Positive: true,
        channel: 'call',
        timeSlots: ['morning', 'evening'],
        consentTextVersion: 'contact-2026-12',
      });
      // Identity encrypted at rest.
      expect(stored.firstNameEnc).not.toContain('Camille');
      expect(stored.phoneEnc).not.toContain('612345678');

      const alert = await dataSource
        .getRepository(AlertEntity)
        .findOneByOrFail({ contactRequestId: stored.id });
      expect(alert).toMatchObject({
        organisationId: pasDeCalais.id,
        severity: 'urgent',
        parentId: null,
        status: 'open',
      });
      expect(alert.reasons).toEqual(expect.arrayContaining(['contact_request', 'item10']));
      const now = environment.clock.now().getTime();
      expect(alert.contactDueAt.getTime() - now).toBe(4 * 3_600_000);

      const professional = await makeUser(dataSource, {
        organisationId: pasDeCalais.id,
        role: 'professional',
      });
      const token = await signIn(dataSource, environment.config, professional);
      const dashboard = await signedBy(app, token).get('/api/alerts').expect(200);
      const listed = (
        dashboard.body as { items: { id: string; contactRequestId: string; contactDueAt: string }[] }
      ).items.find((item) => item.id === alert.id);
      expect(listed).toMatchObject({
        contactRequestId: stored.id,
        contactDueAt: alert.contactDueAt.toISOString(),
      });
      const detail = await signedBy(app, token).get(`/api/alerts/${alert.id}`).expect(200);
      expect(detail.body).toMatchObject({
        parent: null,
        contactRequest: {
          id: stored.id,
          band: 'moderate',
          item10Positive: true,
          channel: 'call',
          timeSlots: ['morning', 'evening'],
        },
      });
      expect(JSON.stringify(detail.body)).not.toContain('Camille');

      // The identity is a separate read, audited.
      const identity = await signedBy(app, token)
        .get(`/api/contact-requests/${stored.id}/identity`)
        .expect(200);
      expect(identity.body).toEqual({
        id: stored.id,
        firstName: 'Camille',
        phone: '+33612345678',
        email: null,
      });
      expect(
        await auditCount(dataSource, {
          action: 'contact_request.identity_read',
          targetId: stored.id,
          actorId: professional.id,
        }),
      ).toBe(1);

      // Another organisation sees nothing of it.
      const other = await makeUser(dataSource, { organisationId: metz.id, role: 'professional' });
      const otherToken = await signIn(dataSource, environment.config, other);
      await signedBy(app, otherToken).get(`/api/contact-requests/${stored.id}/identity`).expect(404);

      const deadline = Date.now() + 5_000;
      while (!messages.some((message) => message.type === 'alert.created') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(messages.find((message) => message.type === 'alert.created')).toMatchObject({
        type: 'alert.created',
        alert: { id: alert.id, severity: 'urgent', contactRequestId: stored.id },
      });
    } finally {
      subscriber.disconnect();
    }
  });

  it('routes by postal code between two organisations of the same département, else to the département default', async () => {
    expect(await requestFrom('62300')).toMatchObject({ organisationId: lens.id, routing: 'postal_code' });

    visitor.speakFrom('198.51.100.200');
    const arrasResult = await screen({ ...LOW, cp: '62000' });
    const done = await contact(arrasResult.text, { cp: '62000' });
    expect(done.status).toBe(200);
    // Neither serves 62000: the département's default, its oldest organisation.
    expect(await latestRequest()).toMatchObject({ organisationId: pasDeCalais.id, routing: 'departement' });
    // A low score still gets a call back within the moderate deadline (5 working days by default).
    expect(done.text).toContain('dans les 5 jours ouvrés');
    const alert = await dataSource
      .getRepository(AlertEntity)
      .findOneByOrFail({ contactRequestId: (await latestRequest()).id });
    expect(alert.severity).toBe('moderate');
  });

  it('falls back to the coordinator queue (the region’s first organisation), then to the platform’s first', async () => {
    // 67 (Bas-Rhin) has no organisation: Grand Est's is Metz.
    expect(await requestFrom('67000')).toMatchObject({
      organisationId: metz.id,
      routing: 'region',
      departement: '67',
    });

    visitor.speakFrom('198.51.100.201');
    // 59 (Nord) has none either: Hauts-de-France's oldest is the Pas-de-Calais PMI.
    expect(await requestFrom('59000')).toMatchObject({ organisationId: pasDeCalais.id, routing: 'region' });

    visitor.speakFrom('198.51.100.202');
    // No postal code at all: never dropped.
    const anywhere = await screen(LOW);
    expect(
      (await contact(anywhere.text, { phone: '', email: 'camille@example.org', channel: 'email' })).status,
    ).toBe(200);
    expect(await latestRequest()).toMatchObject({
      organisationId: pasDeCalais.id,
      routing: 'national',
      phoneEnc: null,
    });
  });

  it('lets org admins declare the postal codes they serve through the settings API, validated by field', async () => {
    const asAdmin = await settingsPatcher(app, metz.id);
    const bad = await asAdmin({ servedPostalCodes: ['57000', '5700', '57000'] }).expect(400);
    const fields = (bad.body as { details: { field: string }[] }).details.map((detail) => detail.field);
    expect(fields).toEqual(['servedPostalCodes[1]', 'servedPostalCodes[2]']);
    await asAdmin({ servedPostalCodes: ['67000'] }).expect(200);
    // Metz now serves 67000 by name, no longer as the region's fallback.
    expect(await requestFrom('67000')).toMatchObject({ organisationId: metz.id, routing: 'postal_code' });
    // A professional cannot change it.
    const asProfessional = await settingsPatcher(app, metz.id, 'professional');
    await asProfessional({ servedPostalCodes: [] }).expect(403);
  });

  it('lets an invited parent ask to be contacted from their result page: their team, their open alert', async () => {
    const { parent, tokens } = await makeLinkedInvitation(dataSource, pasDeCalais);
    const token = tokens[0]!;
    const answered = await postForm(`/q/${token}`, { lang: 'fr', ...ITEM10 });
    expect(answered.status).toBe(200);
    const form = parseHtml(answered.text).$(`form[action="/q/${token}/contact"]`);
    expect(form).not.toBeNull();
    expect(answered.text).not.toMatch(/name="(first_name|phone|email)"/);

    const count = (await requests()).length;
    const refused = await postForm(`/q/${token}/contact`, { lang: 'fr', channel: 'sms' });
    expect(refused.status).toBe(400);
    expect((await requests()).length).toBe(count);

    const done = await postForm(`/q/${token}/contact`, {
      lang: 'fr',
      channel: 'sms',
      slots: 'evening',
      consent: 'yes',
    });
    const stored = await requestThanked(done, 'dans les 4 heures');
    expect(stored).toMatchObject({
      organisationId: pasDeCalais.id,
      routing: 'invited',
      status: 'enrolled',
      enrolledParentId: parent.id,
      channel: 'sms',
      timeSlots: ['evening'],
      item10Positive: true,
      firstNameEnc: parent.firstNameEnc,
    });
    // One open alert per parent: the request joined the urgent alert their answers raised.
    const alerts = await dataSource.getRepository(AlertEntity).findBy({ parentId: parent.id });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'urgent', contactRequestId: stored.id });
    expect(alerts[0]!.reasons).toEqual(expect.arrayContaining(['item10', 'contact_request']));
    const events = await dataSource.getRepository(FollowUpEventEntity).findBy({ alertId: alerts[0]!.id });
    expect(events.map((event) => event.type)).toContain('contact_requested');
  });

  it('refuses a request with neither phone nor e-mail: 400 naming both (JSON), and the form says so', async () => {
    const result = await screen(LOW);
    environment.clock.advance(20_000);
    const count = (await requests()).length;
    const json = await visitor
      .post('/api/public/contact-requests')
      .send({
        formStamp: formStampOf(result.text),
        firstName: 'Camille',
        channel: 'call',
        consent: { given: true },
      })
      .expect(400);
    const fields = (json.body as { details: { field: string }[] }).details.map((detail) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(['phone', 'email']));
    expect(json.body.message).toMatch(/phone/);
    expect(json.body.message).toMatch(/email/);

    const form = await contact(result.text, { phone: '' });
    expect(form.status).toBe(400);
    expect(form.text).toContain('id="c-phone-err"');
    expect(form.text).toContain('id="c-email-err"');
    expect((await requests()).length).toBe(count);
  });

  it('refuses the honeypot and submissions faster than the time floor, politely, storing nothing', async () => {
    const screenings = await dataSource.getRepository(SelfScreeningEntity).count();
    const trap = await screen({ ...LOW, website: 'http://spam.example' });
    expect(trap.status).toBe(400);
    expect(trap.text).toContain('3114');
    const tooFast = await screen(LOW, '/depistage', (SCREENING_MIN_SECONDS - 5) * 1000);
    expect(tooFast.status).toBe(400);
    expect(tooFast.text).toContain('Prenez votre temps');
    // The answers stay checked for the next try.
    expect(tooFast.text).toMatch(/name="q1" id="q1-0" value="0" checked/);
    expect(await dataSource.getRepository(SelfScreeningEntity).count()).toBe(screenings);
    // A forged stamp is not a stamp.
    const forged = await postForm('/depistage', {
      lang: 'fr',
      ts: 'eyJwIjoic2NyZWVuaW5nIiwidCI6MH0.' + 'A'.repeat(43),
      role: 'mother',
      age: '1',
      ...LOW,
    });
    expect(forged.status).toBe(400);
    expect(await dataSource.getRepository(SelfScreeningEntity).count()).toBe(screenings);

    const result = await screen(LOW);
    const count = (await requests()).length;
    const fastContact = await contact(result.text, {}, (CONTACT_MIN_SECONDS - 3) * 1000);
    expect(fastContact.status).toBe(400);
    expect(fastContact.text).toContain('Prenez votre temps');
    const trapContact = await contact(stampPage(fastContact.text), { website: 'x' });
    expect(trapContact.status).toBe(400);
    expect((await requests()).length).toBe(count);
    // The fresh stamp of the "take your time" page works once the parent took it.
    expect((await contact(stampPage(fastContact.text), {})).status).toBe(200);
    expect((await requests()).length).toBe(count + 1);
  });

  it('rate-limits screenings per /64: another address of the same network shares the budget', async () => {
    const page = await get('/depistage').expect(200);
    environment.clock.advance((SCREENING_MIN_SECONDS + 1) * 1000);
    const stamp = formStampOf(page.text);
    let last = 0;
    for (let attempt = 0; attempt < 31; attempt += 1) {
      const response = await http()
        .post('/depistage')
        .set('X-Forwarded-For', `2001:db8:ffff:1::${(attempt + 1).toString(16)}`)
        .type('form')
        .send({ lang: 'fr', ts: stamp, role: 'mother', age: '1', ...LOW });
      last = response.status;
    }
    expect(last).toBe(429);
  });

  it('rate-limits contact requests per /64 (429 with Retry-After)', async () => {
    visitor.speakFrom('2001:db8:aaaa:1::1');
    const result = await screen(LOW);
    environment.clock.advance(20_000);
    const send = (host: number) =>
      http()
        .post('/api/public/contact-requests')
        .set('X-Forwarded-For', `2001:db8:aaaa:1::${host.toString(16)}`)
        .send({
          formStamp: formStampOf(result.text),
          firstName: 'Camille',
          email: 'camille@example.org',
          channel: 'email',
          consent: { given: true },
        });
    for (let host = 1; host <= 5; host += 1) expect((await send(host)).status).toBe(201);
    const refused = await send(99);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((refused.body as { code: string }).code).toBe('too_many_attempts');
  });

  it('turns a request into an enrolment with the request pre-filled: consent recorded, day 7 and day 42 planned', async () => {
    const result = await screen({ ...ITEM10, cp: '62100', role: 'co_parent' });
    expect(
      (await contact(result.text, { cp: '62100', first_name: 'Alex', phone: '07 56 99 88 77' })).status,
    ).toBe(200);
    const stored = await latestRequest();
    const professional = await makeUser(dataSource, { organisationId: pasDeCalais.id, role: 'professional' });
    const token = await signIn(dataSource, environment.config, professional);
    const birth = new Date(environment.clock.now().getTime() - 3 * 86_400_000).toISOString().slice(0, 10);

    await signedBy(app, token)
      .post(`/api/contact-requests/${stored.id}/enrol`)
      .send({ birthDate: birth, consent: { given: true, textVersion: '2026-01' } })
      .expect(400);
    const enrolled = await signedBy(app, token)
      .post(`/api/contact-requests/${stored.id}/enrol`)
      .send({ lastName: 'Durand', birthDate: birth, consent: { given: true, textVersion: '2026-01' } })
      .expect(201);
    expect(enrolled.body).toMatchObject({
      firstName: 'Alex',
      lastName: 'Durand',
      phone: '+33756998877',
      role: 'co_parent',
    });
    const parentId = (enrolled.body as { id: string }).id;
    const waves = (await dataSource.getRepository(InvitationEntity).findBy({ parentId })).map(
      (invitation) => invitation.wave,
    );
    expect(waves.sort()).toEqual(['day42', 'day7']);
    expect(
      await dataSource.getRepository(ContactRequestEntity).findOneByOrFail({ id: stored.id }),
    ).toMatchObject({
      status: 'enrolled',
      enrolledParentId: parentId,
    });
    const alert = await dataSource
      .getRepository(AlertEntity)
      .findOneByOrFail({ contactRequestId: stored.id });
    expect(alert.parentId).toBe(parentId);
    await signedBy(app, token)
      .post(`/api/contact-requests/${stored.id}/enrol`)
      .send({ lastName: 'Durand', birthDate: birth, consent: { given: true, textVersion: '2026-01' } })
      .expect(409);
  });
});

describe('screening sources, QR codes and the widget (real Postgres and Redis)', () => {
  let { environment, api: app, dataSource } = {} as TestApi;
  let organisation: OrganisationEntity;
  let adminToken: string;
  const http = () => request(app.getHttpServer());
  const asAdmin = (test: request.Test) => test.set('Authorization', `Bearer ${adminToken}`);
  const visitor = publicVisitorPerTest(
    () => app,
    (test) => `203.0.113.${test}`,
  );
  let screenings = 0;

  /** A screening through a source's page, each from a parent's own address. */
  async function screenFrom(code: string, answers: Record<string, string>) {
    visitor.speakFrom(`203.0.113.${(screenings += 1)}`);
    const response = await screenAfterReading(
      visitor,
      environment.clock,
      { age: '2', ...answers },
      `/depistage/${code}`,
      (SCREENING_MIN_SECONDS + 1) * 1000,
    );
    expect(response.status).toBe(200);
  }

  beforeAll(async () => {
    ({ environment, api: app, dataSource } = await startTestApi());
    organisation = await makeOrganisation(dataSource, { name: 'PMI du Pas-de-Calais' });
    const admin = await makeUser(dataSource, { organisationId: organisation.id, role: 'org_admin' });
    adminToken = await signIn(dataSource, environment.config, admin);
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  it('lets org admins create sources (code generated or chosen, unique, not reserved); professionals cannot', async () => {
    const created = await asAdmin(http().post('/api/screening-sources'))
      .send({ name: 'Maternité de Lens', partner: 'CH Lens' })
      .expect(201);
    expect(created.body).toMatchObject({ name: 'Maternité de Lens', partner: 'CH Lens' });
    expect((created.body as { code: string }).code).toMatch(/^maternite-de-lens-[0-9a-f]{6}$/);
    expect((created.body as { url: string }).url).toBe(
      `http://lien.test/depistage/${(created.body as { code: string }).code}`,
    );
    await asAdmin(http().post('/api/screening-sources')).send({ name: 'CAF', code: 'caf-62' }).expect(201);
    const taken = await asAdmin(http().post('/api/screening-sources'))
      .send({ name: 'CAF bis', code: 'caf-62' })
      .expect(409);
    expect((taken.body as { code: string }).code).toBe('source_code_taken');
    const reserved = await asAdmin(http().post('/api/screening-sources'))
      .send({ name: 'Xavier', code: 'contact' })
      .expect(400);
    expect((reserved.body as { details: { field: string }[] }).details[0]!.field).toBe('code');
    const bad = await asAdmin(http().post('/api/screening-sources'))
      .send({ name: 'Xavier', code: 'Not OK' })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('code');
    const professional = await makeUser(dataSource, {
      organisationId: organisation.id,
      role: 'professional',
    });
    const token = await signIn(dataSource, environment.config, professional);
    await signedBy(app, token).post('/api/screening-sources').send({ name: 'Nope' }).expect(403);
  });

  it('serves the QR code of a source as SVG and PNG, generated server-side', async () => {
    const created = await asAdmin(http().post('/api/screening-sources'))
      .send({ name: 'Leaflet', code: 'leaflet-qr' })
      .expect(201);
    const id = (created.body as { id: string }).id;
    const svg = await asAdmin(http().get(`/api/screening-sources/${id}/qr.svg`))
      .buffer(true)
      .expect(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    const svgText = Buffer.isBuffer(svg.body) ? svg.body.toString('utf8') : svg.text;
    expect(svgText).toMatch(/^<svg[^>]*viewBox/);
    const png = await asAdmin(http().get(`/api/screening-sources/${id}/qr.png`))
      .buffer(true)
      .expect(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // Another organisation's admin gets a 404.
    const other = await makeOrganisation(dataSource, {
      name: 'Metz',
      departement: '57',
      region: 'Grand Est',
      smsSender: 'Metz',
    });
    const otherAdmin = await makeUser(dataSource, { organisationId: other.id, role: 'org_admin' });
    const otherToken = await signIn(dataSource, environment.config, otherAdmin);
    await signedBy(app, otherToken).get(`/api/screening-sources/${id}/qr.svg`).expect(404);
  });

  it('counts screenings, positives and contact requests by source, hiding 1 to 4', async () => {
    const big = await asAdmin(http().post('/api/screening-sources'))
      .send({ name: 'Big', code: 'big-source' })
      .expect(201);
    const small = await asAdmin(http().post('/api/screening-sources'))
      .send({ name: 'Small', code: 'small-source' })
      .expect(201);
    for (let index = 0; index < 5; index += 1) await screenFrom('big-source', ITEM10);
    await screenFrom('small-source', LOW);
    await screenFrom('small-source', LOW);
    const list = await asAdmin(http().get('/api/screening-sources')).expect(200);
    const stats = list.body as {
      source: { id: string };
      screenings: unknown;
      positive: unknown;
      contactRequests: unknown;
      positiveRate: unknown;
    }[];
    const bigStats = stats.find((row) => row.source.id === (big.body as { id: string }).id)!;
    expect(bigStats).toMatchObject({
      screenings: { value: 5, suppressed: false },
      positive: { value: 5, suppressed: false },
      positiveRate: { value: 1, suppressed: false },
      contactRequests: { value: 0, suppressed: false },
    });
    const smallStats = stats.find((row) => row.source.id === (small.body as { id: string }).id)!;
    expect(smallStats.screenings).toEqual({ value: null, suppressed: true, reason: 'small_count' });
  });

  it('gives a widget snippet (iframe, height from Lien’s origin only) and an embeddable page', async () => {
    const created = await asAdmin(http().post('/api/screening-sources'))
      .send({ name: 'Partner', code: 'partner-site' })
      .expect(201);
    const widget = await asAdmin(
      http().get(`/api/screening-sources/${(created.body as { id: string }).id}/widget`),
    ).expect(200);
    const { url, snippet } = widget.body as { url: string; snippet: string };
    expect(url).toBe('http://lien.test/depistage/partner-site?embed=1');
    expect(snippet).toContain(`<iframe id="lien-depistage-partner-site" src="${url}"`);
    expect(snippet).toContain("event.origin !== 'http://lien.test'");
    expect(snippet).not.toMatch(/https?:\/\/(?!lien\.test)/);

    const normal = await http().get('/depistage/partner-site').expect(200);
    expect(normal.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const embedded = await http().get('/depistage/partner-site?embed=1').expect(200);
    expect(embedded.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(embedded.headers['x-frame-options']).toBeUndefined();
    expect(embedded.headers['set-cookie']).toBeUndefined();
    expect(embedded.text).toContain("parent.postMessage({lien:'height'");
    expect(embedded.text).toContain('<input type="hidden" name="embed" value="1">');
    // Every inline script of the embedded page is allowed by its hash.
    const hashes = [...embedded.text.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
      (match) => `'sha256-${createHash('sha256').update(match[1]!, 'utf8').digest('base64')}'`,
    );
    expect(hashes).toHaveLength(2);
    for (const hash of hashes) expect(embedded.headers['content-security-policy']).toContain(hash);
  });
});

/** The contact page again, as the "take your time" answer renders it. */
function stampPage(html: string): string {
  return html;
}
