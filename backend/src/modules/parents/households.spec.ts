import {
  DEFAULT_ORGANISATION_SETTINGS,
  FATHERS_WAVE_EXAMPLE,
  type AlertDetail,
  type InviteOtherParentResponse,
  type HouseholdResponse,
  type ParentDetail,
  type ReportSummary,
} from '@lien/shared';
import { FieldEncryption, hashToken, randomToken } from '../../common/crypto/field-encryption.service.js';
import { makeOrganisation, signInNewUser } from '../../testing/factories.js';
import {
  answerInvitation,
  answersWorth,
  makeLinkedInvitation,
} from '../../testing/questionnaire-factories.js';
import { wantsNoResponseTask } from '../alerts/invitation-expiry.service.js';
import { enrolmentBody } from '../../testing/parents-factories.js';
import { signedCalls, stopTestApi } from '../../testing/api-spec.js';
import {
  enrolParent,
  mobileSequence,
  startParentsApi,
  type ParentsApi,
  type ParentsWorldOptions,
} from '../../testing/parents-api.js';

jest.setTimeout(30_000);

/** The fields a 400 names. */
const fields = (body: unknown): string[] =>
  ((body as { details?: Array<{ field: string }> }).details ?? []).map((detail) => detail.field);

// The test clock: Monday 2 March 2026, 09:00 in Paris.
const BIRTH = '2026-02-26';
/** 11 points, item 10 "never": moderate for a mother (11–12). */
const MODERATE = answersWorth([2, 2, 1, 1, 1, 1, 1, 1, 1, 0]);
const LOW = answersWorth([0, 1, 0, 1, 0, 1, 0, 1, 0, 0]);

/** Day 42 re-screens a moderate answer once, 28 days later; fathers and co-parents have their own wave. */
const WORLD: ParentsWorldOptions = {
  settings: {
    waves: [
      DEFAULT_ORGANISATION_SETTINGS.waves[0]!,
      {
        ...DEFAULT_ORGANISATION_SETTINGS.waves[1]!,
        rescreen: { bands: ['moderate'], afterDays: 28, maxTimes: 1 },
      },
      FATHERS_WAVE_EXAMPLE,
    ],
  },
};

describe('households, waves by role and re-screening (real Postgres and Redis)', () => {
  let { environment, api: app, dataSource, world } = {} as ParentsApi;
  const nextPhone = mobileSequence('07 57');
  const person = (overrides: Record<string, unknown> = {}) =>
    enrolmentBody('Camille', 'Martin', nextPhone(), { birthDate: BIRTH, ...overrides });

  beforeAll(async () => ({ environment, api: app, dataSource, world } = await startParentsApi(WORLD)));
  afterAll(() => stopTestApi({ environment, api: app }));

  const { post, get } = signedCalls(
    () => app,
    () => world.token,
  );
  /** A parent enrolled through the API (`person(overrides)`), by `bearer`'s user. */
  const enrol = (overrides: Record<string, unknown> = {}, bearer = world.token): Promise<ParentDetail> =>
    enrolParent(app, bearer, person(overrides));
  /** A mother and a father of the same birth, enrolled together as a household. */
  const enrolMotherAndFather = async (bearer = world.token): Promise<HouseholdResponse> =>
    (await post('/api/households', { parents: [person(), person({ role: 'father' })] }, bearer).expect(201))
      .body as HouseholdResponse;
  const outbox = (parentId: string) =>
    dataSource.query<Array<{ wave: string; kind: string; status: string; due_at: Date }>>(
      `SELECT i.wave, s.kind, s.status, s.due_at FROM sms_messages s JOIN invitations i ON i.id = s.invitation_id
        WHERE s.parent_id = $1 ORDER BY s.due_at`,
      [parentId],
    );

  /** Marks a planned invitation sent and gives it a live link, as the SMS pipeline would; returns the token. */
  const sendWave = async (parentId: string, wave: string): Promise<string> => {
    const sentAt = new Date('2026-03-01T09:00:00Z');
    const [[row]] = await dataSource.query<[Array<{ id: string; organisation_id: string }>, number]>(
      `UPDATE invitations SET status = 'sent', sent_at = $3, expires_at = $3::timestamptz + interval '7 days'
        WHERE parent_id = $1 AND wave = $2 RETURNING id, organisation_id`,
      [parentId, wave, sentAt],
    );
    const linkToken = randomToken();
    await dataSource.query(
      `INSERT INTO invitation_links (organisation_id, invitation_id, token_hash) VALUES ($1, $2, $3)`,
      [row!.organisation_id, row!.id, hashToken(linkToken)],
    );
    return linkToken;
  };

  /** A mother and father enrolled together, the mother having answered day 7 moderate (her alert is open). */
  const motherAndFatherAfterModerateAnswer = async (): Promise<[ParentDetail, ParentDetail]> => {
    const { parents } = await enrolMotherAndFather();
    const [mother, father] = parents as [ParentDetail, ParentDetail];
    await answerInvitation(app, await sendWave(mother.id, 'day7'), MODERATE);
    return [mother, father];
  };

  describe('households', () => {
    it('enrols mother and father in one step: each with their own consent, waves and SMS, linked as a household', async () => {
      const reply = await post('/api/households', {
        parents: [person(), person({ role: 'father', firstName: 'Louis', language: 'en' })],
      }).expect(201);
      const { householdId, parents } = reply.body as HouseholdResponse;
      const [mother, father] = parents as [ParentDetail, ParentDetail];
      expect(householdId).toMatch(/^[0-9a-f-]{36}$/);
      expect(mother).toMatchObject({ role: 'mother', householdId, consent: { textVersion: '2026-01' } });
      expect(father).toMatchObject({ role: 'father', language: 'en', householdId });
      expect(mother.household.map((member) => [member.id, member.role])).toEqual([[father.id, 'father']]);
      expect((await outbox(mother.id)).map((sms) => [sms.wave, sms.kind, sms.status])).toEqual([
        ['day7', 'invitation', 'pending'],
        ['day42', 'invitation', 'pending'],
      ]);
      expect((await outbox(father.id)).map((sms) => [sms.wave, sms.kind, sms.status])).toEqual([
        ['day7', 'invitation', 'pending'],
        ['day42', 'invitation', 'pending'],
        ['day120', 'invitation', 'pending'],
      ]);
      const rows = await dataSource.query<Array<{ id: string; household_id: string }>>(
        `SELECT id, household_id FROM parents WHERE id = ANY($1::uuid[])`,
        [[mother.id, father.id]],
      );
      expect(rows.map((row) => row.household_id)).toEqual([householdId, householdId]);
      const audits = await dataSource.query<Array<{ target_id: string }>>(
        `SELECT target_id FROM audit_events WHERE action = 'parent.enrol' AND metadata->>'householdId' = $1`,
        [householdId],
      );
      expect(audits.map((audit) => audit.target_id).sort()).toEqual([mother.id, father.id].sort());
    });

    it('names the bad field of each parent and enrols neither', async () => {
      const motherPhone = nextPhone();
      const reply = await post('/api/households', {
        parents: [
          person({ phone: motherPhone }),
          person({ role: 'father', phone: '01 23 45 67 89', birthDate: '2026-02-20' }),
        ],
      }).expect(400);
      expect(fields(reply.body)).toEqual(['parents[1].phone']);
      const sameBirth = await post('/api/households', {
        parents: [person({ phone: motherPhone }), person({ role: 'father', birthDate: '2026-02-20' })],
      }).expect(400);
      expect(fields(sameBirth.body)).toEqual(['parents[1].birthDate']);
      const [counted] = await dataSource.query<Array<{ count: string }>>(
        `SELECT count(*) FROM parents WHERE organisation_id = $1 AND phone_index = $2`,
        [
          world.organisation.id,
          app.get(FieldEncryption).blindIndex('+33' + motherPhone.replace(/\s/g, '').slice(1)),
        ],
      );
      expect(counted?.count).toBe('0');
    });

    it('refuses the whole household when one parent is already enrolled for this birth (409, nothing written)', async () => {
      const father = person({ role: 'father' });
      await post('/api/parents', father).expect(201);
      const mother = person();
      const reply = await post('/api/households', { parents: [mother, father] }).expect(409);
      expect(reply.body.code).toBe('duplicate_parent');
      const [counted] = await dataSource.query<Array<{ count: string }>>(
        `SELECT count(*) FROM parents WHERE phone_index = $1`,
        [app.get(FieldEncryption).blindIndex('+33' + (mother.phone as string).replace(/\s/g, '').slice(1))],
      );
      expect(counted?.count).toBe('0');
    });

    it('links an existing parent to another of the same organisation; across organisations is 404', async () => {
      const mother = await enrol();
      const father = await enrol({ role: 'father' });
      const stranger = await enrol({}, world.otherToken);

      await post(`/api/parents/${mother.id}/household`, { parentId: stranger.id }).expect(404);
      await post(`/api/parents/${stranger.id}/household`, { parentId: mother.id }, world.otherToken).expect(
        404,
      );
      await post(`/api/parents/${stranger.id}/household`, { parentId: mother.id }).expect(404);
      const bad = await post(`/api/parents/${mother.id}/household`, { parentId: 'nope' }).expect(400);
      expect(fields(bad.body)).toEqual(['parentId']);
      const fatherOfAnotherBirth = await enrol({ role: 'father', birthDate: '2026-02-20' });
      expect(
        (await post(`/api/parents/${mother.id}/household`, { parentId: fatherOfAnotherBirth.id }).expect(409))
          .body.code,
      ).toBe('household_birth_mismatch');

      const linked = (await post(`/api/parents/${mother.id}/household`, { parentId: father.id }).expect(200))
        .body as ParentDetail;
      expect(linked.householdId).toBeTruthy();
      expect(linked.household.map((member) => member.id)).toEqual([father.id]);
      const fromFather = (await get(`/api/parents/${father.id}`).expect(200)).body as ParentDetail;
      expect(fromFather.householdId).toBe(linked.householdId);
      expect(fromFather.household.map((member) => [member.id, member.role])).toEqual([[mother.id, 'mother']]);
      expect(fromFather.household[0]!.invitations.map((i) => i.wave)).toEqual(['day7', 'day42']);
    });

    it('keeps a household to three parents', async () => {
      const { householdId, parents } = (
        await post('/api/households', {
          parents: [person(), person({ role: 'father' }), person({ role: 'co_parent' })],
        }).expect(201)
      ).body as HouseholdResponse;
      const fourth = await enrol({ role: 'co_parent' });
      const refused = await post(`/api/parents/${parents[0]!.id}/household`, { parentId: fourth.id }).expect(
        409,
      );
      expect(refused.body.code).toBe('household_full');
      expect(
        ((await get(`/api/parents/${fourth.id}`).expect(200)).body as ParentDetail).householdId,
      ).toBeNull();
      // Linking two parents already in the same household changes nothing and is allowed.
      const again = (
        await post(`/api/parents/${parents[0]!.id}/household`, { parentId: parents[1]!.id }).expect(200)
      ).body as ParentDetail;
      expect(again.householdId).toBe(householdId);
      expect(again.household).toHaveLength(2);
    });

    it('shows the other parent’s waves and result band, never their answers or score', async () => {
      const [mother, father] = await motherAndFatherAfterModerateAnswer();

      const reply = await get(`/api/parents/${father.id}`).expect(200);
      const member = (reply.body as ParentDetail).household[0]!;
      expect(member.id).toBe(mother.id);
      expect(member.results).toEqual([{ wave: 'day7', band: 'moderate', receivedAt: expect.any(String) }]);
      expect(member.invitations.find((i) => i.wave === 'day7')?.status).toBe('completed');
      expect(Object.keys(member).sort()).toEqual(
        ['firstName', 'id', 'invitations', 'lastName', 'results', 'role', 'status'].sort(),
      );
      expect(JSON.stringify(reply.body.household)).not.toMatch(/answers|itemPoints|score|anxiety|item10/);
      // The read of the other parent is audited as a named read.
      const audits = await dataSource.query<Array<{ metadata: { view: string } }>>(
        `SELECT metadata FROM audit_events WHERE action = 'parent.read' AND target_id = $1`,
        [mother.id],
      );
      expect(audits.map((audit) => audit.metadata.view)).toContain('household');
    });
  });

  describe('inviting the other parent from an alert', () => {
    const alertOf = async (parentId: string): Promise<string> => {
      const [row] = await dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM alerts WHERE parent_id = $1`,
        [parentId],
      );
      return row!.id;
    };

    it('offers the enrolled father, and invites him now (ad hoc, through the outbox)', async () => {
      const [mother, father] = await motherAndFatherAfterModerateAnswer();
      const alertId = await alertOf(mother.id);
      const detail = (await get(`/api/alerts/${alertId}`).expect(200)).body as AlertDetail;
      expect(detail.otherParent).toEqual({
        parentId: father.id,
        role: 'father',
        enrolled: true,
        invited: true,
      });

      const reply = (await post(`/api/alerts/${alertId}/other-parent`, {}).expect(200))
        .body as InviteOtherParentResponse;
      expect(reply).toMatchObject({ parentId: father.id, enrolled: false });
      expect(reply.invitations.map((i) => i.wave)).toEqual(['adhoc']);
      expect((await outbox(father.id)).filter((sms) => sms.wave === 'adhoc')).toHaveLength(1);
      await post(`/api/alerts/${alertId}/other-parent`, {}, world.otherToken).expect(404);
    });

    it('without another parent: says so, and enrols the father given into the household', async () => {
      const mother = await enrol();
      await answerInvitation(app, await sendWave(mother.id, 'day7'), MODERATE);
      const alertId = await alertOf(mother.id);
      const detail = (await get(`/api/alerts/${alertId}`).expect(200)).body as AlertDetail;
      expect(detail.otherParent).toEqual({ parentId: null, role: null, enrolled: false, invited: false });

      const missing = await post(`/api/alerts/${alertId}/other-parent`, {}).expect(400);
      expect(fields(missing.body)).toEqual(['parent']);
      const otherBirth = await post(`/api/alerts/${alertId}/other-parent`, {
        parent: person({ role: 'father', birthDate: '2026-02-20' }),
      }).expect(400);
      expect(fields(otherBirth.body)).toEqual(['parent.birthDate']);
      const reply = (
        await post(`/api/alerts/${alertId}/other-parent`, { parent: person({ role: 'father' }) }).expect(200)
      ).body as InviteOtherParentResponse;
      expect(reply.enrolled).toBe(true);
      expect(reply.invitations.map((i) => i.wave)).toEqual(['day7', 'day42', 'day120']);
      const view = (await get(`/api/parents/${mother.id}`).expect(200)).body as ParentDetail;
      expect(view.household.map((member) => member.id)).toEqual([reply.parentId]);
      const after = (await get(`/api/alerts/${alertId}`).expect(200)).body as AlertDetail;
      expect(after.otherParent).toMatchObject({ parentId: reply.parentId, enrolled: true, invited: true });
    });
  });

  describe('reports: births where both parents were screened', () => {
    it('counts households once, both-screened births among them, with small-cell protection', async () => {
      const platform = await signInNewUser(dataSource, environment.config, { role: 'platform_admin' });
      /** An organisation with `both` households where both answered, `one` where only the mother did, `alone` single mothers. */
      const build = async (both: number, one: number, alone: number): Promise<string> => {
        const org = await makeOrganisation(dataSource, { name: `PMI ${both}-${one}-${alone}` });
        const bearer = await signInNewUser(dataSource, environment.config, { organisationId: org.id });
        for (let n = 0; n < both + one; n += 1) {
          const { parents } = await enrolMotherAndFather(bearer);
          const screened = n < both ? parents : parents.slice(0, 1);
          for (const parent of screened) await answerInvitation(app, await sendWave(parent.id, 'day7'), LOW);
        }
        for (let n = 0; n < alone; n += 1) {
          const mother = await enrol({}, bearer);
          await answerInvitation(app, await sendWave(mother.id, 'day7'), LOW);
        }
        return org.id;
      };
      const parentsOf = async (organisationId: string) =>
        (
          (
            await get(
              `/api/reports/summary?from=2026-03-01&to=2026-03-31&organisationId=${organisationId}`,
              platform,
            ).expect(200)
          ).body as ReportSummary
        ).total.parents;

      const large = await parentsOf(await build(5, 1, 4));
      expect(large.births).toEqual({ value: 10, suppressed: false });
      expect(large.bothParentsScreened).toEqual({ value: 5, suppressed: false });
      expect(large.bothParentsScreenedRate).toEqual({ value: 0.5, suppressed: false });

      const small = await parentsOf(await build(2, 0, 5));
      expect(small.births).toEqual({ value: 7, suppressed: false });
      expect(small.bothParentsScreened).toEqual({ value: null, suppressed: true, reason: 'small_count' });
      expect(small.bothParentsScreenedRate).toMatchObject({ value: null, suppressed: true });
    });
  });

  describe('waves by role', () => {
    it('plans the fathers and co-parents wave for the father and not for the mother', async () => {
      const mother = await enrol();
      const father = await enrol({ role: 'father', firstName: 'Louis' });
      expect(mother.invitations.map((i) => i.wave)).toEqual(['day7', 'day42']);
      expect(father.invitations.map((i) => i.wave)).toEqual(['day7', 'day42', 'day120']);
      expect((await outbox(father.id)).map((sms) => [sms.wave, sms.kind, sms.status])).toEqual([
        ['day7', 'invitation', 'pending'],
        ['day42', 'invitation', 'pending'],
        ['day120', 'invitation', 'pending'],
      ]);
      expect((await outbox(mother.id)).map((sms) => sms.wave)).toEqual(['day7', 'day42']);
    });
  });

  describe('adaptive re-screening', () => {
    it('a moderate answer to day 42 invites again 28 days later through the outbox, and not beyond maxTimes', async () => {
      const sentAt = new Date('2026-03-01T09:00:00Z');
      const first = await makeLinkedInvitation(dataSource, world.organisation, {
        invitation: { wave: 'day42', sentAt, dueAt: sentAt },
      });
      await answerInvitation(app, first.tokens[0]!, MODERATE);
      const planned = await outbox(first.parent.id);
      // Answered Monday 2 March 09:00 Paris; 28 days later is Monday 30 March, at 10:00 (CEST).
      expect(planned.map((sms) => [sms.wave, sms.kind, sms.status, sms.due_at.toISOString()])).toEqual([
        ['day42-r1', 'invitation', 'pending', '2026-03-30T08:00:00.000Z'],
      ]);

      // The re-screen, sent and answered moderate again: maxTimes 1, nothing more.
      const rescreenToken = await sendWave(first.parent.id, 'day42-r1');
      await answerInvitation(app, rescreenToken, MODERATE);
      const waves = await dataSource.query<Array<{ wave: string }>>(
        `SELECT wave FROM invitations WHERE parent_id = $1 ORDER BY wave`,
        [first.parent.id],
      );
      expect(waves.map((row) => row.wave)).toEqual(['day42', 'day42-r1']);
    });

    it('a low answer, or a moderate answer to a wave without a rule, plans nothing', async () => {
      const low = await makeLinkedInvitation(dataSource, world.organisation, {
        invitation: { wave: 'day42' },
      });
      await answerInvitation(app, low.tokens[0]!, LOW);
      const day7 = await makeLinkedInvitation(dataSource, world.organisation, {
        invitation: { wave: 'day7' },
      });
      await answerInvitation(app, day7.tokens[0]!, MODERATE);
      expect(await outbox(low.parent.id)).toEqual([]);
      expect(await outbox(day7.parent.id)).toEqual([]);
    });
  });
});

describe('wantsNoResponseTask', () => {
  it('a re-screen follows the "no answer" setting of its wave', () => {
    const settings = {
      ...DEFAULT_ORGANISATION_SETTINGS,
      waves: [{ ...DEFAULT_ORGANISATION_SETTINGS.waves[1]!, noResponseTask: false }],
    };
    expect(wantsNoResponseTask(settings, 'day42-r1')).toBe(false);
    expect(wantsNoResponseTask(settings, 'day42')).toBe(false);
    expect(wantsNoResponseTask(settings, 'adhoc')).toBe(true);
  });
});
