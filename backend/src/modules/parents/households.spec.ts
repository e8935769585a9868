import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { DEFAULT_ORGANISATION_SETTINGS, type ParentDetail, type WaveSetting } from '@lien/shared';
import { hashToken, randomToken } from '../../common/crypto/field-encryption.service.js';
import { makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import {
  answerInvitation,
  answersWorth,
  makeLinkedInvitation,
} from '../../testing/questionnaire-factories.js';
import {
  createTestApi,
  createTestEnvironment,
  dataSourceOf,
  type TestEnvironment,
} from '../../testing/test-app.js';
import { wantsNoResponseTask } from '../alerts/invitation-expiry.service.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';

jest.setTimeout(30_000);

// The test clock: Monday 2 March 2026, 09:00 in Paris.
const BIRTH = '2026-02-26';
/** Fathers and co-parents at 3–6 months, when paternal depression peaks (~7% → ~25%). */
const FATHER_WAVE: WaveSetting = {
  key: 'day120',
  offsetDays: 120,
  windowStartDay: 90,
  windowEndDay: 180,
  noResponseTask: true,
  roles: ['father', 'co_parent'],
};
/** 11 points, item 10 "never": moderate for a mother (11–12). */
const MODERATE = answersWorth([2, 2, 1, 1, 1, 1, 1, 1, 1, 0]);
const LOW = answersWorth([0, 1, 0, 1, 0, 1, 0, 1, 0, 0]);

describe('households, waves by role and re-screening (real Postgres and Redis)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let dataSource: DataSource;
  let organisation: OrganisationEntity;
  let other: OrganisationEntity;
  let token: string;
  let otherToken: string;
  let phoneCounter = 0;
  const nextPhone = (): string => `07 57 ${String(10 + (phoneCounter += 1)).padStart(2, '0')} 34 56`;
  const person = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    firstName: 'Camille',
    lastName: 'Martin',
    phone: nextPhone(),
    role: 'mother',
    language: 'fr',
    birthDate: BIRTH,
    consent: { given: true, textVersion: '2026-01' },
    ...overrides,
  });

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await createTestApi(environment);
    dataSource = dataSourceOf(app);
    organisation = await makeOrganisation(dataSource, {
      settings: {
        waves: [
          DEFAULT_ORGANISATION_SETTINGS.waves[0]!,
          {
            ...DEFAULT_ORGANISATION_SETTINGS.waves[1]!,
            rescreen: { bands: ['moderate'], afterDays: 28, maxTimes: 1 },
          },
          FATHER_WAVE,
        ],
      },
    });
    other = await makeOrganisation(dataSource, { name: 'Maternité de Metz', departement: '57' });
    token = await signIn(
      dataSource,
      environment.config,
      await makeUser(dataSource, { organisationId: organisation.id }),
    );
    otherToken = await signIn(
      dataSource,
      environment.config,
      await makeUser(dataSource, { organisationId: other.id }),
    );
  });
  afterAll(async () => {
    await app.close();
    await environment.teardown();
  });

  const post = (path: string, body: unknown, bearer = token) =>
    request(app.getHttpServer())
      .post(path)
      .set('Authorization', `Bearer ${bearer}`)
      .send(body as object);
  const get = (path: string, bearer = token) =>
    request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${bearer}`);
  const outbox = (parentId: string) =>
    dataSource.query<Array<{ wave: string; kind: string; status: string; due_at: Date }>>(
      `SELECT i.wave, s.kind, s.status, s.due_at FROM sms_messages s JOIN invitations i ON i.id = s.invitation_id
        WHERE s.parent_id = $1 ORDER BY s.due_at`,
      [parentId],
    );

  describe('waves by role', () => {
    it('plans the fathers and co-parents wave for the father and not for the mother', async () => {
      const mother = (await post('/api/parents', person()).expect(201)).body as ParentDetail;
      const father = (await post('/api/parents', person({ role: 'father', firstName: 'Louis' })).expect(201))
        .body as ParentDetail;
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
      const first = await makeLinkedInvitation(dataSource, organisation, {
        invitation: { wave: 'day42', sentAt, dueAt: sentAt },
      });
      await answerInvitation(app, first.tokens[0]!, MODERATE);
      const planned = await outbox(first.parent.id);
      // Answered Monday 2 March 09:00 Paris; 28 days later is Monday 30 March, at 10:00 (CEST).
      expect(planned.map((sms) => [sms.wave, sms.kind, sms.status, sms.due_at.toISOString()])).toEqual([
        ['day42-r1', 'invitation', 'pending', '2026-03-30T08:00:00.000Z'],
      ]);

      // The re-screen, sent and answered moderate again: maxTimes 1, nothing more.
      const [[rescreen]] = await dataSource.query<[Array<{ id: string }>, number]>(
        `UPDATE invitations SET status = 'sent', sent_at = $2, expires_at = $2::timestamptz + interval '7 days'
          WHERE parent_id = $1 AND wave = 'day42-r1' RETURNING id`,
        [first.parent.id, sentAt],
      );
      const token = randomToken();
      await dataSource.query(
        `INSERT INTO invitation_links (organisation_id, invitation_id, token_hash) VALUES ($1, $2, $3)`,
        [organisation.id, rescreen!.id, hashToken(token)],
      );
      await answerInvitation(app, token, MODERATE);
      const waves = await dataSource.query<Array<{ wave: string }>>(
        `SELECT wave FROM invitations WHERE parent_id = $1 ORDER BY wave`,
        [first.parent.id],
      );
      expect(waves.map((row) => row.wave)).toEqual(['day42', 'day42-r1']);
    });

    it('a low answer, or a moderate answer to a wave without a rule, plans nothing', async () => {
      const low = await makeLinkedInvitation(dataSource, organisation, { invitation: { wave: 'day42' } });
      await answerInvitation(app, low.tokens[0]!, LOW);
      const day7 = await makeLinkedInvitation(dataSource, organisation, { invitation: { wave: 'day7' } });
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
