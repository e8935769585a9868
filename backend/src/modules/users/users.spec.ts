import request from 'supertest';
import { IsNull } from 'typeorm';
import {
  latestEmailTo,
  linkTokenOf,
  login,
  makeUserWithPassword,
  TEST_PASSWORD,
} from '../../testing/identity-factories.js';
import { signedBy, startIdentityApi, stopTestApi, type IdentityApi } from '../../testing/api-spec.js';
import { auditCount, auditEventOf } from '../../testing/factories.js';
import { waitFor } from '../../testing/wait-for.js';
import { EmailMessageEntity } from '../notifications/email-message.entity.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { UserTokenEntity } from './user-token.entity.js';
import { UserEntity } from './user.entity.js';
import { RESET_PER_ADDRESS, RESET_PER_IP, SET_PASSWORD_PER_NETWORK } from './password-reset.service.js';
import { INVITATION_TTL_MS, PASSWORD_RESET_TTL_MS } from './user-links.service.js';
import { UsersService } from './users.service.js';

describe('users: invitations, roles, deactivation, passwords (real Postgres and Redis)', () => {
  let { environment, api: app, dataSource, world } = {} as IdentityApi;
  const http = () => request(app.getHttpServer());
  const as = (token: string) => signedBy(app, token);
  /** POST /api/users with `body`, as `token`'s holder. */
  const createUser = (token: string, body: Record<string, unknown>) =>
    as(token).post('/api/users').send(body);
  /** Organisation A's admin invites a professional (`extra` fields added to the body). */
  const inviteProfessional = (email: string, displayName: string, extra: Record<string, unknown> = {}) =>
    createUser(world.orgAdminA.token, { email, displayName, role: 'professional', ...extra });

  beforeAll(async () => ({ environment, api: app, dataSource, world } = await startIdentityApi()));
  afterAll(() => stopTestApi({ environment, api: app }));

  describe('invitation', () => {
    it('creates the account, emails a one-time link, and the link sets a password that signs in', async () => {
      const invited = await inviteProfessional('Nouvelle.SageFemme@pmi62.test', 'Nouvelle Sage-femme').expect(
        201,
      );
      expect(invited.body).toMatchObject({
        email: 'nouvelle.sagefemme@pmi62.test',
        role: 'professional',
        organisationId: world.orgA.id,
        organisationName: 'PMI Pas-de-Calais',
        status: 'invited',
        active: true,
      });
      const email = await latestEmailTo(dataSource, 'nouvelle.sagefemme@pmi62.test');
      expect(email).not.toBeNull();
      expect(email?.organisationId).toBe(world.orgA.id);
      // The token rides in the fragment, which browsers never send: no server or proxy log can keep it.
      expect(email?.body).toContain('http://lien.test/set-password#token=');
      expect(email?.body).not.toContain('?token=');
      expect(email?.body).not.toMatch(/\/set-password\/[A-Za-z0-9_-]{20,}/);
      const token = linkTokenOf(email?.body ?? '');
      const stored = await dataSource
        .getRepository(UserTokenEntity)
        .findOneByOrFail({ userId: invited.body.id as string });
      expect(stored.tokenHash).not.toContain(token);
      expect(stored.expiresAt.getTime()).toBe(environment.clock.now().getTime() + INVITATION_TTL_MS);
      const audit = await auditEventOf(dataSource, {
        action: 'user.invite',
        targetId: invited.body.id as string,
      });
      expect(audit).toMatchObject({
        actorId: world.orgAdminA.user.id,
        organisationId: world.orgA.id,
        metadata: { role: 'professional' },
      });

      const weak = await http()
        .post('/api/users/password/set')
        .send({ token, password: 'aaaaaaaaaaaaaa' })
        .expect(400);
      expect(weak.body).toMatchObject({
        code: 'weak_password',
        details: [expect.objectContaining({ field: 'password' })],
      });
      const same = await http()
        .post('/api/users/password/set')
        .send({ token, password: 'nouvelle.sagefemme@pmi62.test' })
        .expect(400);
      expect(same.body.code).toBe('weak_password');
      await http()
        .post('/api/users/password/set')
        .send({ token, password: 'Une-Bonne-Phrase-2026' })
        .expect(204);
      const reused = await http()
        .post('/api/users/password/set')
        .send({ token, password: 'Une-Autre-Phrase-2026' })
        .expect(400);
      expect(reused.body).toMatchObject({
        code: 'invalid_token',
        details: [{ field: 'token', message: expect.any(String) }],
      });
      await login(app, { email: 'nouvelle.sagefemme@pmi62.test', password: 'Une-Bonne-Phrase-2026' }).expect(
        200,
      );
      const after = await as(world.orgAdminA.token)
        .get(`/api/users/${invited.body.id as string}`)
        .expect(200);
      expect(after.body.status).toBe('active');
    });

    it('refuses an expired link, and a resent invitation replaces the old link', async () => {
      const invited = await inviteProfessional('late@pmi62.test', 'Late').expect(201);
      const oldToken = linkTokenOf((await latestEmailTo(dataSource, 'late@pmi62.test'))?.body ?? '');
      await as(world.orgAdminA.token)
        .post(`/api/users/${invited.body.id as string}/invitation`)
        .expect(200);
      const newToken = linkTokenOf((await latestEmailTo(dataSource, 'late@pmi62.test'))?.body ?? '');
      expect(newToken).not.toBe(oldToken);
      await http()
        .post('/api/users/password/set')
        .send({ token: oldToken, password: 'Une-Bonne-Phrase-2026' })
        .expect(400);
      environment.clock.advance(INVITATION_TTL_MS + 1_000);
      await http()
        .post('/api/users/password/set')
        .send({ token: newToken, password: 'Une-Bonne-Phrase-2026' })
        .expect(400);
    });

    it('refuses a duplicate email (409) and unknown fields (400)', async () => {
      await inviteProfessional(world.professionalB.user.email.toUpperCase(), 'Dup').expect(409);
      const unknown = await inviteProfessional('x@pmi62.test', 'X', { passwordHash: 'x' }).expect(400);
      expect(unknown.body.details).toEqual([expect.objectContaining({ field: 'passwordHash' })]);
    });

    it.each([
      [
        'an org admin inviting a coordinator',
        'orgAdminA',
        { role: 'coordinator', territory: { departements: ['62'] } },
        403,
      ],
      ['an org admin inviting a platform admin', 'orgAdminA', { role: 'platform_admin' }, 403],
      [
        'an org admin inviting into another organisation',
        'orgAdminA',
        { role: 'professional', organisationId: 'ORG_B' },
        404,
      ],
      [
        'a platform admin inviting a professional',
        'platformAdmin',
        { role: 'professional', organisationId: 'ORG_A' },
        403,
      ],
      [
        'a platform admin inviting an org admin without organisation',
        'platformAdmin',
        { role: 'org_admin' },
        400,
      ],
      [
        'a platform admin inviting a coordinator without territory',
        'platformAdmin',
        { role: 'coordinator' },
        400,
      ],
      [
        'a platform admin inviting a coordinator into an organisation',
        'platformAdmin',
        { role: 'coordinator', organisationId: 'ORG_A', territory: { region: 'Grand Est' } },
        400,
      ],
      ['a coordinator inviting anyone', 'coordinator', { role: 'professional' }, 403],
      ['a professional inviting anyone', 'professionalA', { role: 'professional' }, 403],
    ] as const)('refuses %s', async (_label, actor, body, status) => {
      const ids: Record<string, string> = { ORG_A: world.orgA.id, ORG_B: world.orgB.id };
      const payload: Record<string, unknown> = {
        email: `refused-${Math.random().toString(36).slice(2)}@lien.test`,
        displayName: 'Refused',
        ...body,
      };
      if ('organisationId' in body) payload.organisationId = ids[body.organisationId] ?? body.organisationId;
      await createUser(world[actor].token, payload).expect(status);
      expect(await dataSource.getRepository(UserEntity).countBy({ email: payload.email as string })).toBe(0);
    });

    it('lets a platform admin create org admins, coordinators with a territory, and platform admins', async () => {
      const admin = await createUser(world.platformAdmin.token, {
        email: 'admin2@pmi57.test',
        displayName: 'Admin 2',
        role: 'org_admin',
        organisationId: world.orgB.id,
      }).expect(201);
      expect(admin.body).toMatchObject({ role: 'org_admin', organisationId: world.orgB.id });
      const coordinator = await createUser(world.platformAdmin.token, {
        email: 'ars-hdf@lien.test',
        displayName: 'ARS HdF',
        role: 'coordinator',
        territory: { region: 'Hauts-de-France', departements: ['62', '59', '62'] },
      }).expect(201);
      expect(coordinator.body).toMatchObject({
        role: 'coordinator',
        organisationId: null,
        territory: { departements: ['59', '62'], region: 'Hauts-de-France' },
      });
      const badTerritory = await createUser(world.platformAdmin.token, {
        email: 'ars-x@lien.test',
        displayName: 'ARS X',
        role: 'coordinator',
        territory: { departements: ['20'] },
      }).expect(400);
      expect(badTerritory.body.details).toEqual([
        expect.objectContaining({ field: 'territory.departements' }),
      ]);
      await createUser(world.platformAdmin.token, {
        email: 'ops@lien.test',
        displayName: 'Ops',
        role: 'platform_admin',
      }).expect(201);
      // Platform-level invitations are emailed too (no organisation).
      expect((await latestEmailTo(dataSource, 'ops@lien.test'))?.organisationId).toBeNull();
    });
  });

  describe('listing and reading', () => {
    it('shows org admins their organisation only, and platform admins everyone (with filters and paging)', async () => {
      const own = await as(world.orgAdminA.token).get('/api/users').expect(200);
      const items = own.body.items as Array<{ organisationId: string | null }>;
      expect(items.length).toBeGreaterThanOrEqual(2);
      expect(items.every((user) => user.organisationId === world.orgA.id)).toBe(true);
      await as(world.orgAdminA.token).get(`/api/users?organisationId=${world.orgB.id}`).expect(404);

      const all = await as(world.platformAdmin.token).get('/api/users?pageSize=2&page=1').expect(200);
      expect(all.body).toMatchObject({ page: 1, pageSize: 2 });
      expect(all.body.items).toHaveLength(2);
      expect(all.body.total).toBeGreaterThan(5);
      const coordinators = await as(world.platformAdmin.token).get('/api/users?role=coordinator').expect(200);
      expect(
        (coordinators.body.items as Array<{ role: string }>).every((user) => user.role === 'coordinator'),
      ).toBe(true);
      const search = await as(world.platformAdmin.token).get('/api/users?search=pro%20b').expect(200);
      expect((search.body.items as Array<{ id: string }>).map((user) => user.id)).toEqual([
        world.professionalB.user.id,
      ]);
      await as(world.platformAdmin.token).get('/api/users?pageSize=1000').expect(400);
      await as(world.platformAdmin.token).get('/api/users?search=%25').expect(200);
    });

    it('answers 404 for a user of another organisation', async () => {
      await as(world.orgAdminA.token).get(`/api/users/${world.professionalB.user.id}`).expect(404);
      await as(world.orgAdminA.token)
        .patch(`/api/users/${world.professionalB.user.id}`)
        .send({ displayName: 'x' })
        .expect(404);
      await as(world.orgAdminA.token)
        .post(`/api/users/${world.professionalB.user.id}/deactivate`)
        .expect(404);
      const untouched = await dataSource
        .getRepository(UserEntity)
        .findOneByOrFail({ id: world.professionalB.user.id });
      expect(untouched).toMatchObject({ displayName: 'Pro B', active: true });
    });
  });

  describe('roles and deactivation', () => {
    it('lets an org admin promote a professional, not into a platform role, and never change their own access', async () => {
      const pro = await makeUserWithPassword(dataSource, {
        role: 'professional',
        organisationId: world.orgA.id,
      });
      const promoted = await as(world.orgAdminA.token)
        .patch(`/api/users/${pro.id}`)
        .send({ role: 'org_admin' })
        .expect(200);
      expect(promoted.body.role).toBe('org_admin');
      const refused = await as(world.orgAdminA.token)
        .patch(`/api/users/${pro.id}`)
        .send({ role: 'platform_admin' })
        .expect(400);
      expect(refused.body.details).toEqual([expect.objectContaining({ field: 'role' })]);
      await as(world.orgAdminA.token)
        .patch(`/api/users/${world.orgAdminA.user.id}`)
        .send({ role: 'professional' })
        .expect(409);
      await as(world.orgAdminA.token).post(`/api/users/${world.orgAdminA.user.id}/deactivate`).expect(409);
      const audit = await auditEventOf(dataSource, { action: 'user.update', targetId: pro.id });
      expect(audit.metadata).toEqual({ fields: ['role'] });
    });

    it('deactivation ends every session at once and blocks sign-in; reactivation allows it again', async () => {
      const pro = await makeUserWithPassword(dataSource, {
        role: 'professional',
        organisationId: world.orgA.id,
      });
      const session = (await login(app, { email: pro.email, password: TEST_PASSWORD }).expect(200)).body as {
        accessToken: string;
        refreshToken: string;
      };
      const deactivated = await as(world.orgAdminA.token).post(`/api/users/${pro.id}/deactivate`).expect(200);
      expect(deactivated.body).toMatchObject({ active: false, status: 'inactive' });
      await as(session.accessToken).get('/api/auth/me').expect(401);
      await http().post('/api/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
      expect(
        await dataSource.getRepository(RefreshTokenEntity).countBy({ userId: pro.id, revokedAt: IsNull() }),
      ).toBe(0);
      await login(app, { email: pro.email, password: TEST_PASSWORD }).expect(401);
      expect(await auditCount(dataSource, { action: 'user.deactivate', targetId: pro.id })).toBe(1);
      await as(world.orgAdminA.token).patch(`/api/users/${pro.id}`).send({ active: true }).expect(200);
      await login(app, { email: pro.email, password: TEST_PASSWORD }).expect(200);
    });

    it('lets a platform admin change a coordinator’s territory, and refuses territories for others', async () => {
      const coordinator = await makeUserWithPassword(dataSource, {
        role: 'coordinator',
        territoryDepartements: ['62'],
      });
      const moved = await as(world.platformAdmin.token)
        .patch(`/api/users/${coordinator.id}`)
        .send({ territory: { departements: [], region: 'Grand Est' } })
        .expect(200);
      expect(moved.body.territory).toEqual({ departements: [], region: 'Grand Est' });
      await as(world.platformAdmin.token)
        .patch(`/api/users/${world.professionalB.user.id}`)
        .send({ territory: { departements: ['57'] } })
        .expect(400);
      await as(world.platformAdmin.token)
        .patch(`/api/users/${coordinator.id}`)
        .send({ role: 'org_admin' })
        .expect(400);
    });
  });

  describe('provision (seed scripts, first platform admin)', () => {
    it('creates active accounts with a password that signs in, without email, and applies the same rules', async () => {
      const users = app.get(UsersService);
      const context = { actorId: null, organisationId: null, ip: null, requestId: null };
      const password = 'Demo-Password-2026';
      const emailsBefore = await dataSource.getRepository(EmailMessageEntity).count();
      const admin = await users.provision(
        { email: 'Seed.Admin@lien.test', displayName: 'Seed admin', role: 'platform_admin', password },
        context,
      );
      expect(admin).toMatchObject({
        email: 'seed.admin@lien.test',
        role: 'platform_admin',
        status: 'active',
        organisationId: null,
      });
      await login(app, { email: 'seed.admin@lien.test', password }).expect(200);
      const coordinator = await users.provision(
        {
          email: 'seed.coord@lien.test',
          displayName: 'Seed coordinator',
          role: 'coordinator',
          password,
          territory: { departements: ['57'] },
        },
        context,
      );
      expect(coordinator.territory).toEqual({ departements: ['57'], region: null });
      const professional = await users.provision(
        {
          email: 'seed.pro@lien.test',
          displayName: 'Seed pro',
          role: 'professional',
          password,
          organisationId: world.orgA.id,
        },
        context,
      );
      expect(professional.organisationId).toBe(world.orgA.id);
      expect(await dataSource.getRepository(EmailMessageEntity).count()).toBe(emailsBefore);
      expect(await auditCount(dataSource, { action: 'user.provision' })).toBe(3);
      await expect(
        users.provision({ email: 'x@lien.test', displayName: 'X', role: 'professional', password }, context),
      ).rejects.toMatchObject({ kind: 'invalid' });
      await expect(
        users.provision({ email: 'y@lien.test', displayName: 'Y', role: 'coordinator', password }, context),
      ).rejects.toMatchObject({ kind: 'invalid' });
      await expect(
        users.provision(
          {
            email: 'z@lien.test',
            displayName: 'Z',
            role: 'professional',
            organisationId: world.orgA.id,
            password: 'weak',
          },
          context,
        ),
      ).rejects.toMatchObject({ code: 'weak_password' });
      await expect(
        users.provision(
          { email: 'SEED.ADMIN@lien.test', displayName: 'Dup', role: 'platform_admin', password },
          context,
        ),
      ).rejects.toMatchObject({ code: 'email_taken' });
    });
  });

  describe('password reset', () => {
    it('always answers 202 with the same body, emails only existing active accounts, and the link resets the password', async () => {
      const pro = await makeUserWithPassword(dataSource, {
        role: 'professional',
        organisationId: world.orgA.id,
        email: 'reset-me@pmi62.test',
      });
      const before = await dataSource.getRepository(EmailMessageEntity).count();
      const unknown = await http()
        .post('/api/users/password-reset/request')
        .send({ email: 'nobody@nowhere.test' })
        .expect(202);
      const known = await http()
        .post('/api/users/password-reset/request')
        .send({ email: 'Reset-Me@pmi62.test' })
        .expect(202);
      expect(known.body).toEqual(unknown.body);
      const email = await waitFor('the reset email', () => latestEmailTo(dataSource, 'reset-me@pmi62.test'));
      expect(email.subject).toMatch(/mot de passe|password/i);
      expect(email.body).toContain('http://lien.test/set-password#token=');
      expect(email.body).not.toContain('?token=');
      expect(await dataSource.getRepository(EmailMessageEntity).count()).toBe(before + 1);

      const session = (await login(app, { email: pro.email, password: TEST_PASSWORD }).expect(200)).body as {
        accessToken: string;
      };
      await http()
        .post('/api/users/password/set')
        .send({ token: linkTokenOf(email.body), password: 'Nouveau-Secret-2026' })
        .expect(204);
      await as(session.accessToken).get('/api/auth/me').expect(401);
      await login(app, { email: pro.email, password: TEST_PASSWORD }).expect(401);
      await login(app, { email: pro.email, password: 'Nouveau-Secret-2026' }).expect(200);
      const audit = await auditEventOf(dataSource, { action: 'user.password.set', targetId: pro.id });
      expect(audit.metadata).toEqual({ via: 'password_reset' });
    });

    it('answers 400 for a malformed request, never revealing anything', async () => {
      await http().post('/api/users/password-reset/request').send({}).expect(400);
      await http().post('/api/users/password/set').send({ token: 'short', password: 'x' }).expect(400);
    });

    it('a reset link is single-use, superseded by a newer one, and dead after an hour', async () => {
      const pro = await makeUserWithPassword(dataSource, {
        role: 'professional',
        organisationId: world.orgA.id,
        email: 'reset-twice@pmi62.test',
      });
      const ask = async (): Promise<string> => {
        const before = (await latestEmailTo(dataSource, pro.email))?.id ?? null;
        await http()
          .post('/api/users/password-reset/request')
          .set('X-Forwarded-For', '192.0.2.201')
          .send({ email: pro.email })
          .expect(202);
        const email = await waitFor('a new reset email', async () => {
          const latest = await latestEmailTo(dataSource, pro.email);
          return latest && latest.id !== before ? latest : null;
        });
        return linkTokenOf(email.body);
      };
      const first = await ask();
      const stored = await dataSource.getRepository(UserTokenEntity).findOneByOrFail({ userId: pro.id });
      expect(stored.expiresAt.getTime()).toBe(environment.clock.now().getTime() + PASSWORD_RESET_TTL_MS);
      expect(PASSWORD_RESET_TTL_MS).toBeLessThanOrEqual(3600_000);
      const second = await ask();
      const set = (token: string, password: string) =>
        http()
          .post('/api/users/password/set')
          .set('X-Forwarded-For', '192.0.2.201')
          .send({ token, password });
      expect((await set(first, 'Premier-Secret-2026').expect(400)).body.code).toBe('invalid_token');
      await set(second, 'Second-Secret-2026').expect(204);
      expect((await set(second, 'Troisieme-Secret-2026').expect(400)).body.code).toBe('invalid_token');

      const third = await ask();
      environment.clock.advance(PASSWORD_RESET_TTL_MS + 1_000);
      expect((await set(third, 'Troisieme-Secret-2026').expect(400)).body.code).toBe('invalid_token');
      await login(app, { email: pro.email, password: 'Second-Secret-2026' }, '192.0.2.202').expect(200);
    });

    it('throttles reset requests per IPv6 /64 (429 with Retry-After), not the next /64', async () => {
      for (let attempt = 0; attempt < RESET_PER_IP.limit; attempt += 1) {
        await http()
          .post('/api/users/password-reset/request')
          .set('X-Forwarded-For', `2001:db8:5:1::${(attempt + 1).toString(16)}`)
          .send({ email: `spray-${attempt}@nowhere.test` })
          .expect(202);
      }
      const throttled = await http()
        .post('/api/users/password-reset/request')
        .set('X-Forwarded-For', '2001:db8:5:1:ffff::1')
        .send({ email: 'one-more@nowhere.test' })
        .expect(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(throttled.body).toMatchObject({ code: 'too_many_attempts' });
      await http()
        .post('/api/users/password-reset/request')
        .set('X-Forwarded-For', '2001:db8:5:2::1')
        .send({ email: 'one-more@nowhere.test' })
        .expect(202);
    });

    it('throttles reset requests per address typed across networks, the same for an address without an account', async () => {
      await makeUserWithPassword(dataSource, {
        role: 'org_admin',
        organisationId: world.orgA.id,
        email: 'target-admin@pmi62.test',
      });
      const answers: Array<{ status: number; body: unknown }> = [];
      for (const address of ['target-admin@pmi62.test', 'no-account@pmi62.test']) {
        for (let attempt = 0; attempt <= RESET_PER_ADDRESS.limit; attempt += 1) {
          const response = await http()
            .post('/api/users/password-reset/request')
            .set('X-Forwarded-For', `198.51.100.${attempt + 10}`)
            .send({ email: address });
          answers.push({ status: response.status, body: response.body });
        }
      }
      const statuses = answers.map((answer) => answer.status);
      const expected = [...Array<number>(RESET_PER_ADDRESS.limit).fill(202), 429];
      expect(statuses).toEqual([...expected, ...expected]);
      expect(answers[0]?.body).toEqual(answers[RESET_PER_ADDRESS.limit + 1]?.body);
    });

    it('throttles set-password attempts per client network (link guessing)', async () => {
      for (let attempt = 0; attempt < SET_PASSWORD_PER_NETWORK.limit; attempt += 1) {
        await http()
          .post('/api/users/password/set')
          .set('X-Forwarded-For', `2001:db8:6:1::${(attempt + 1).toString(16)}`)
          .send({ token: `guess-${'x'.repeat(40)}-${attempt}`, password: 'Une-Bonne-Phrase-2026' })
          .expect(400);
      }
      const throttled = await http()
        .post('/api/users/password/set')
        .set('X-Forwarded-For', '2001:db8:6:1::ffff')
        .send({ token: `guess-${'x'.repeat(40)}-last`, password: 'Une-Bonne-Phrase-2026' })
        .expect(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    });
  });
});
