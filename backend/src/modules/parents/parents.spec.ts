import request from 'supertest';
import type { ParentDetail, ParentListResponse } from '@lien/shared';
import type { DevOutboxResponse } from '@lien/shared';
import { jobId } from '../../queue/jobs.js';
import { SmsDeliveryService } from '../sms/sms-delivery.service.js';
import { makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import { createTestApi, createTestEnvironment, dataSourceOf, queue } from '../../testing/test-app.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { ParentsRepository } from './parents.repository.js';
import { enrolmentBody } from '../../testing/parents-factories.js';
import { signedCalls, stopTestApi } from '../../testing/api-spec.js';
import { enrolParent, mobileSequence, startParentsApi, type ParentsApi } from '../../testing/parents-api.js';

jest.setTimeout(30_000);

// The test clock: Monday 2 March 2026, 09:00 in Paris.
const BIRTH = '2026-02-26';

const enrolment = (overrides: Record<string, unknown> = {}) =>
  enrolmentBody('Éloïse', 'Dupont-Léger', '06 12 34 56 78', { birthDate: BIRTH, ...overrides });

function fields(body: { details?: Array<{ field: string }> }): string[] {
  return [...new Set((body.details ?? []).map((detail) => detail.field))];
}

describe('/api/parents (real Postgres and Redis)', () => {
  let { environment, api: app, dataSource, world } = {} as ParentsApi;
  const nextPhone = mobileSequence('07 56');

  beforeAll(async () => ({ environment, api: app, dataSource, world } = await startParentsApi()));
  afterAll(() => stopTestApi({ environment, api: app }));

  const { post, get, patch } = signedCalls(
    () => app,
    () => world.token,
  );
  /** A parent enrolled through the API with a phone of its own. */
  const enrolNew = (): Promise<ParentDetail> =>
    enrolParent(app, world.token, enrolment({ phone: nextPhone() }));

  it('enrols a parent: encrypted at rest, consent recorded, both waves planned with their SMS in the outbox and on the queue', async () => {
    const response = await post('/api/parents', enrolment()).expect(201);
    const parent = response.body as ParentDetail;
    expect(parent).toMatchObject({
      firstName: 'Éloïse',
      lastName: 'Dupont-Léger',
      phone: '+33612345678',
      role: 'mother',
      status: 'active',
      birthDate: BIRTH,
      referentUserId: world.professional.id,
      consent: {
        recordedBy: world.professional.id,
        recordedAt: '2026-03-02T08:00:00.000Z',
        textVersion: '2026-01',
      },
    });
    // Day 7 at 10:00 Paris (UTC+1), day 42 at 10:00 Paris (UTC+2, after the DST change).
    expect(parent.invitations.map((i) => [i.wave, i.status, i.dueAt])).toEqual([
      ['day7', 'planned', '2026-03-05T09:00:00.000Z'],
      ['day42', 'planned', '2026-04-09T08:00:00.000Z'],
    ]);
    expect(parent.nextInvitation).toMatchObject({
      wave: 'day7',
      dueAt: '2026-03-05T09:00:00.000Z',
      deferredFrom: null,
    });

    const [row] = await dataSource.query<Array<Record<string, string>>>(
      `SELECT * FROM parents WHERE id = $1`,
      [parent.id],
    );
    expect(JSON.stringify(row)).not.toMatch(/Éloïse|Dupont|612345678/);
    const sms = await dataSource.query<
      Array<{
        id: string;
        kind: string;
        status: string;
        due_at: Date;
      }>
    >(`SELECT id, kind, status, due_at FROM sms_messages WHERE parent_id = $1 ORDER BY due_at`, [parent.id]);
    expect(sms.map((s) => [s.kind, s.status, new Date(s.due_at).toISOString()])).toEqual([
      ['invitation', 'pending', '2026-03-05T09:00:00.000Z'],
      ['invitation', 'pending', '2026-04-09T08:00:00.000Z'],
    ]);
    const job = await queue(app, 'sms').getJob(jobId.sms(sms[0]!.id));
    // Ids only, plus the enrolment's request id (so the worker's log lines trace back to it).
    expect(job?.data).toEqual({ smsMessageId: sms[0]!.id, requestId: response.headers['x-request-id'] });
    expect(await job?.getState()).toBe('delayed');
    const audit = await dataSource.query<
      Array<{
        actor_id: string;
        metadata: Record<string, unknown>;
      }>
    >(`SELECT actor_id, metadata FROM audit_events WHERE action = 'parent.enrol' AND target_id = $1`, [
      parent.id,
    ]);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(world.professional.id);
    expect(JSON.stringify(audit[0]!.metadata)).not.toMatch(/Éloïse|Dupont|6123/);
  });

  it('answers 400 naming each bad field, never a 500', async () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ phone: '01 23 45 67 89' }, ['phone']],
      [{ phone: 'not a phone' }, ['phone']],
      [{ phone: '+44 7700 900123' }, ['phone']],
      [{ phone: '09 12 34 56 78' }, ['phone']],
      [{ birthDate: '2026-03-03' }, ['birthDate']],
      [{ birthDate: '2025-02-01' }, ['birthDate']],
      [{ birthDate: '2026-02-30' }, ['birthDate']],
      [{ birthDate: '26/02/2026' }, ['birthDate']],
      [{ birthDate: undefined }, ['birthDate']],
      [{ expectedTermDate: '2026-06-01' }, ['birthDate', 'expectedTermDate']],
      [{ birthDate: undefined, expectedTermDate: '2027-03-01' }, ['expectedTermDate']],
      [{ consent: { given: false, textVersion: 'v1' } }, ['consent.given']],
      [{ consent: undefined }, ['consent']],
      [{ role: 'grandmother' }, ['role']],
      [{ language: 'de' }, ['language']],
      [{ firstName: '   ' }, ['firstName']],
      [{ referentUserId: 'nope' }, ['referentUserId']],
      [{ unexpected: 1 }, ['unexpected']],
      [{ phone: '01 23 45 67 89', birthDate: '2030-01-01' }, ['phone', 'birthDate']],
    ];
    for (const [overrides, expected] of cases) {
      const response = await post('/api/parents', enrolment({ phone: nextPhone(), ...overrides }));
      expect([
        response.status,
        fields(response.body as { details?: Array<{ field: string }> }).sort(),
      ]).toEqual([400, [...expected].sort()]);
    }
    const otherUser = await makeUser(dataSource, { organisationId: world.other.id });
    const response = await post(
      '/api/parents',
      enrolment({ phone: nextPhone(), referentUserId: otherUser.id }),
    ).expect(400);
    expect(fields(response.body as { details?: Array<{ field: string }> })).toEqual(['referentUserId']);
  });

  it('accepts overseas mobiles, read in the organisation’s own numbering plan', async () => {
    const guadeloupe = await makeOrganisation(dataSource, {
      name: 'PMI Guadeloupe',
      departement: '971',
      timeZone: 'America/Guadeloupe',
    });
    const user = await makeUser(dataSource, { organisationId: guadeloupe.id });
    const bearer = await signIn(dataSource, environment.config, user);
    const national = await post('/api/parents', enrolment({ phone: '0690 12 34 56' }), bearer).expect(201);
    expect((national.body as ParentDetail).phone).toBe('+590690123456');
    for (const phone of ['+594 694 20 12 34', '+596 696 12 34 56', '+262 692 12 34 56']) {
      await post('/api/parents', enrolment({ phone }), bearer).expect(201);
    }
    // The same digits are not a metropolitan mobile.
    await post('/api/parents', enrolment({ phone: '0690 12 34 56' })).expect(400);
  });

  it('refuses a duplicate (same phone, same birth) with 409 pointing to the existing record', async () => {
    const phone = nextPhone();
    const first = await post('/api/parents', enrolment({ phone })).expect(201);
    const again = await post('/api/parents', enrolment({ phone: phone.replace(/^0/, '+33 ') })).expect(409);
    expect(again.body).toMatchObject({
      code: 'duplicate_parent',
      details: { existingParentId: (first.body as ParentDetail).id },
    });
    // Another birth for the same phone is not a duplicate; neither is the same phone in another organisation.
    await post('/api/parents', enrolment({ phone, birthDate: '2025-06-01' })).expect(201);
    await post('/api/parents', enrolment({ phone }), world.otherToken).expect(201);
    // Concurrent double submission: one wins, the other is told.
    const racePhone = nextPhone();
    const statuses = await Promise.all(
      [1, 2, 3].map(() => post('/api/parents', enrolment({ phone: racePhone })).then((r) => r.status)),
    );
    expect(statuses.sort()).toEqual([201, 409, 409]);
  });

  it('enrols concurrently: each parent gets its own invitations, SMS and audit event', async () => {
    const phones = [1, 2, 3, 4, 5, 6].map(() => nextPhone());
    const responses = await Promise.all(
      phones.map((phone, index) =>
        post('/api/parents', enrolment({ phone, lastName: `Concurrent${index}` })),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const created = responses.map((r) => r.body as ParentDetail);
    expect(created.map((p) => p.lastName)).toEqual(phones.map((_p, index) => `Concurrent${index}`));
    for (const parent of created) {
      expect(parent.invitations.map((invitation) => invitation.wave)).toEqual(['day7', 'day42']);
      const sms = await dataSource.query<Array<{ id: string }>>(
        `SELECT s.id FROM sms_messages s JOIN invitations i ON i.id = s.invitation_id
         WHERE s.parent_id = $1 AND i.parent_id = $1`,
        [parent.id],
      );
      expect(sms.map((row) => row.id).sort()).toEqual(
        parent.invitations.flatMap((invitation) => invitation.sms.map((m) => m.id)).sort(),
      );
      const audit = await dataSource.query<unknown[]>(
        `SELECT 1 FROM audit_events WHERE action = 'parent.enrol' AND target_id = $1`,
        [parent.id],
      );
      expect(audit).toHaveLength(1);
    }
  });

  it('in one statement: a failing enrolment fails alone; the same phone twice is checked in turn', async () => {
    const repository = app.get(ParentsRepository);
    const encryption = app.get(FieldEncryption);
    const values = (
      phoneIndex: string,
      overrides: {
        referentUserId?: string;
        birthDate?: string | null;
        expectedTermDate?: string | null;
      } = {},
    ) => ({
      organisationId: world.organisation.id,
      firstNameEnc: encryption.encrypt('Camille'),
      lastNameEnc: encryption.encrypt('Statement'),
      phoneEnc: encryption.encrypt('+33600000000'),
      phoneIndex,
      firstNameIndex: 'f',
      lastNameIndex: 'l',
      namePrefixes: [],
      role: 'mother' as const,
      language: 'fr',
      birthDate: BIRTH,
      expectedTermDate: null,
      referentUserId: world.professional.id,
      consentRecordedBy: world.professional.id,
      consentRecordedAt: new Date(),
      consentTextVersion: '2026-01',
      ...overrides,
    });
    const waves = [{ wave: 'day7', dueAt: new Date('2026-03-05T09:00:00Z'), deferredFrom: null }];
    const audit = { actorId: world.professional.id, ip: null, requestId: null, metadata: {} };
    // Submitted in the same turn, so they share a statement; the unknown referent breaks its foreign key.
    const outcomes = await Promise.allSettled([
      repository.insertEnrolment(values('statement-a'), waves, audit),
      repository.insertEnrolment(
        values('statement-b', { referentUserId: '00000000-0000-4000-8000-000000000000' }),
        waves,
        audit,
      ),
      repository.insertEnrolment(values('statement-c'), waves, audit),
      // The same phone and birth as the first: a duplicate, not a unique-index failure of the whole statement.
      repository.insertEnrolment(values('statement-a'), waves, audit),
      // An antenatal record, then a birth 20 days before its term with the same phone: the same birth.
      repository.insertEnrolment(
        values('statement-d', { birthDate: null, expectedTermDate: '2026-03-18' }),
        [],
        audit,
      ),
      repository.insertEnrolment(values('statement-d'), waves, audit),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    const value = (index: number) => (outcomes[index] as PromiseFulfilledResult<unknown>).value;
    expect([value(0), value(2), value(4)]).not.toContain(null);
    expect([value(3), value(5)]).toEqual([null, null]);
    const rows = await dataSource.query<Array<{ phone_index: string; invitations: number; audits: number }>>(
      `SELECT p.phone_index,
              (SELECT count(*)::int FROM invitations i WHERE i.parent_id = p.id) AS invitations,
              (SELECT count(*)::int FROM audit_events a WHERE a.target_id = p.id::text) AS audits
       FROM parents p WHERE p.organisation_id = $1 AND p.phone_index LIKE 'statement-%' ORDER BY p.phone_index`,
      [world.organisation.id],
    );
    expect(rows).toEqual([
      { phone_index: 'statement-a', invitations: 1, audits: 1 },
      { phone_index: 'statement-c', invitations: 1, audits: 1 },
      { phone_index: 'statement-d', invitations: 0, audits: 1 },
    ]);
  });

  it('never shows or changes another organisation’s parent: 404', async () => {
    const created = await enrolNew();
    await get(`/api/parents/${created.id}`, world.otherToken).expect(404);
    await patch(`/api/parents/${created.id}`, { firstName: 'X' }, world.otherToken).expect(404);
    await post(`/api/parents/${created.id}/withdraw`, {}, world.otherToken).expect(404);
    await post(`/api/parents/${created.id}/invitations`, {}, world.otherToken).expect(404);
    const list = (await get(`/api/parents?pageSize=100`, world.otherToken).expect(200))
      .body as ParentListResponse;
    expect(list.items.map((p) => p.id)).not.toContain(created.id);
    await get(`/api/parents/not-a-uuid`).expect(404);
    // A coordinator never reads named parents.
    const coordinator = await makeUser(dataSource, { role: 'coordinator', territoryDepartements: ['62'] });
    await get('/api/parents', await signIn(dataSource, environment.config, coordinator)).expect(403);
  });

  it('lists with search by phone or name start (case and accents ignored), status filter and paging; reads are audited', async () => {
    const phone = '07 56 99 88 77';
    const created = (
      await post('/api/parents', enrolment({ phone, firstName: 'Anaïs', lastName: 'Lefèvre' })).expect(201)
    ).body as ParentDetail;
    const byPhone = (await get(`/api/parents?q=${encodeURIComponent('+33756998877')}`).expect(200))
      .body as ParentListResponse;
    expect(byPhone.items.map((p) => p.id)).toEqual([created.id]);
    expect(byPhone.items[0]).toMatchObject({
      firstName: 'Anaïs',
      lastName: 'Lefèvre',
      phone: '+33756998877',
      nextInvitation: { wave: 'day7' },
    });
    for (const q of ['lefevre', 'LEFÈVRE', ' anais ']) {
      const byName = (await get(`/api/parents?q=${encodeURIComponent(q)}`).expect(200))
        .body as ParentListResponse;
      expect(byName.items.map((p) => p.id)).toEqual([created.id]);
    }
    // The start of a name finds it (prefix search, issue 19); a middle part does not.
    expect(
      ((await get('/api/parents?q=lefev').expect(200)).body as ParentListResponse).items.map((p) => p.id),
    ).toEqual([created.id]);
    expect(((await get('/api/parents?q=efevre').expect(200)).body as ParentListResponse).total).toBe(0);

    const all = (await get('/api/parents?pageSize=2&page=1').expect(200)).body as ParentListResponse;
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThan(3);
    const page2 = (await get('/api/parents?pageSize=2&page=2').expect(200)).body as ParentListResponse;
    expect(page2.items.map((p) => p.id)).not.toContain(all.items[0]!.id);
    expect(
      ((await get('/api/parents?status=withdrawn').expect(200)).body as ParentListResponse).items.every(
        (p) => p.status === 'withdrawn',
      ),
    ).toBe(true);
    const bad = await get('/api/parents?pageSize=1000').expect(400);
    expect(fields(bad.body as { details?: Array<{ field: string }> })).toEqual(['pageSize']);

    await get(`/api/parents/${created.id}`).expect(200);
    const reads = await dataSource.query<unknown[]>(
      `SELECT actor_id FROM audit_events WHERE action = 'parent.read' AND target_id = $1`,
      [created.id],
    );
    expect(reads).toHaveLength(1);
    const lists = await dataSource.query<Array<{ metadata: { parentIds: string[] } }>>(
      `SELECT metadata FROM audit_events WHERE action = 'parent.list'`,
    );
    expect(lists.some((entry) => entry.metadata.parentIds.includes(created.id))).toBe(true);
  });

  it('enrols antenatally and plans the waves when the birth date is recorded, once', async () => {
    const created = (
      await post(
        '/api/parents',
        enrolment({ phone: nextPhone(), birthDate: undefined, expectedTermDate: '2026-03-20' }),
      ).expect(201)
    ).body as ParentDetail;
    expect(created.invitations).toEqual([]);
    expect(created.nextInvitation).toBeNull();
    environment.clock.advance(20 * 86_400_000); // 22 March 2026
    const born = (await patch(`/api/parents/${created.id}`, { birthDate: '2026-03-19' }).expect(200))
      .body as ParentDetail;
    expect(born.birthDate).toBe('2026-03-19');
    expect(born.invitations.map((i) => [i.wave, i.dueAt])).toEqual([
      ['day7', '2026-03-26T09:00:00.000Z'],
      ['day42', '2026-04-30T08:00:00.000Z'],
    ]);
    const again = await patch(`/api/parents/${created.id}`, { birthDate: '2026-03-18' }).expect(409);
    expect(again.body).toMatchObject({ code: 'birth_date_already_recorded' });
    const badPhone = await patch(`/api/parents/${created.id}`, { phone: '01 23 45 67 89' }).expect(400);
    expect(fields(badPhone.body as { details?: Array<{ field: string }> })).toEqual(['phone']);
    const renamed = (
      await patch(`/api/parents/${created.id}`, { lastName: 'Nouveau', language: 'en' }).expect(200)
    ).body as ParentDetail;
    expect(renamed).toMatchObject({ lastName: 'Nouveau', language: 'en', firstName: 'Éloïse' });
    const updates = await dataSource.query<
      Array<{
        metadata: { fields: string[] };
      }>
    >(`SELECT metadata FROM audit_events WHERE action = 'parent.update' AND target_id = $1 ORDER BY id`, [
      created.id,
    ]);
    expect(updates.map((u) => u.metadata.fields)).toEqual([['birthDate'], ['lastName', 'language']]);
    environment.clock.set(new Date('2026-03-02T08:00:00Z'));
  });

  it('withdraws: every pending invitation and SMS is cancelled; no ad-hoc invitation afterwards', async () => {
    const created = await enrolNew();
    const adhoc = await post(`/api/parents/${created.id}/invitations`, {}).expect(201);
    expect(adhoc.body).toMatchObject({
      invitation: { wave: 'adhoc', status: 'planned', dueAt: '2026-03-02T08:00:00.000Z', deferredFrom: null },
    });
    await post(`/api/parents/${created.id}/invitations`, {}).expect(409);
    const withdrawn = (await post(`/api/parents/${created.id}/withdraw`, {}).expect(200))
      .body as ParentDetail;
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.invitations.map((i) => i.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(withdrawn.invitations.flatMap((i) => i.sms.map((s) => s.status))).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    const refused = await post(`/api/parents/${created.id}/invitations`, {}).expect(409);
    expect(refused.body).toMatchObject({ code: 'parent_not_active' });
    await post(`/api/parents/${created.id}/withdraw`, {}).expect(200);
  });

  it('plans an ad-hoc invitation in quiet hours at the next allowed time, shown as deferred', async () => {
    const created = await enrolNew();
    environment.clock.set(new Date('2026-03-07T20:30:00Z')); // Saturday 21:30 Paris; Sunday is off
    try {
      const adhoc = await post(`/api/parents/${created.id}/invitations`, {}).expect(201);
      expect(adhoc.body).toMatchObject({
        invitation: { dueAt: '2026-03-09T08:00:00.000Z', deferredFrom: '2026-03-07T20:30:00.000Z' },
      });
    } finally {
      environment.clock.set(new Date('2026-03-02T08:00:00Z'));
    }
  });

  it('without Twilio, sends through the built-in outbox that the console lists (with the link); webhooks are 403', async () => {
    const created = await enrolNew();
    const adhoc = (await post(`/api/parents/${created.id}/invitations`, {}).expect(201)).body as {
      invitation: { id: string; sms: Array<{ id: string }> };
    };
    const smsId = adhoc.invitation.sms[0]!.id;
    expect(await app.get(SmsDeliveryService).process(smsId)).toEqual({ kind: 'done', status: 'delivered' });
    const outbox = (await get('/api/dev/outbox/sms').expect(200)).body as DevOutboxResponse;
    const item = outbox.items.find((entry) => entry.smsMessageId === smsId);
    expect(item).toMatchObject({
      parentId: created.id,
      kind: 'invitation',
      sender: 'Lien62',
      to: expect.stringMatching(/^\+33\d\*+\d\d$/),
    });
    expect(item!.link).toMatch(/^http:\/\/lien\.test\/q\/[A-Za-z0-9_-]{22}$/);
    expect(item!.body).toBe(
      `Pas-de-Calais : bonjour, comment allez-vous ? Quelques questions pour faire le point : ${item!.link}`,
    );
    expect(
      ((await get('/api/dev/outbox/sms', world.otherToken).expect(200)).body as DevOutboxResponse).items,
    ).toEqual([]);
    const detail = (await get(`/api/parents/${created.id}`).expect(200)).body as ParentDetail;
    expect(detail.invitations.find((i) => i.id === adhoc.invitation.id)).toMatchObject({
      status: 'sent',
      sms: [
        { kind: 'invitation', status: 'delivered', segments: 1, encoding: 'GSM-7' },
        { kind: 'reminder', status: 'pending', dueAt: '2026-03-04T08:00:00.000Z' },
      ],
    });
    // Twilio is not configured: its webhooks answer 403, never 500.
    await request(app.getHttpServer())
      .post('/api/webhooks/twilio/status')
      .set('X-Twilio-Signature', 'x')
      .type('form')
      .send({ MessageSid: 'SM1', MessageStatus: 'delivered' })
      .expect(403);
    await request(app.getHttpServer())
      .post('/api/webhooks/twilio/inbound')
      .type('form')
      .send({ From: '+33612345678', Body: 'STOP' })
      .expect(403);
  });

  it('still enrols when Redis is down: the outbox rows are committed for the reconciler', async () => {
    const down = await createTestEnvironment({ REDIS_URL: 'redis://127.0.0.1:1' });
    const downApp = await createTestApi(down);
    try {
      const ds = dataSourceOf(downApp);
      const org = await makeOrganisation(ds);
      const user = await makeUser(ds, { organisationId: org.id });
      const bearer = await signIn(ds, down.config, user);
      const started = Date.now();
      const response = await request(downApp.getHttpServer())
        .post('/api/parents')
        .set('Authorization', `Bearer ${bearer}`)
        .send(enrolment())
        .expect(201);
      expect(Date.now() - started).toBeLessThan(3_000);
      const rows = await ds.query<unknown[]>(`SELECT status FROM sms_messages WHERE parent_id = $1`, [
        (response.body as ParentDetail).id,
      ]);
      expect(rows).toHaveLength(2);
    } finally {
      await downApp.close();
      await down.teardown();
    }
  });
});
