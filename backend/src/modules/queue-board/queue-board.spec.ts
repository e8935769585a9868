import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import {
  createTestApi,
  createTestEnvironment,
  dataSourceOf,
  queue,
  type TestEnvironment,
} from '../../testing/test-app.js';
import type { UserEntity } from '../users/user.entity.js';
import { BOARD_COOKIE, issueBoardPass } from './board-pass.js';

jest.setTimeout(90_000);

const BOARD = '/api/admin/queues/board';

interface World {
  environment: TestEnvironment;
  app: INestApplication;
  dataSource: DataSource;
  admin: UserEntity;
  adminToken: string;
  professional: UserEntity;
  professionalToken: string;
}

async function world(env: Record<string, string> = {}): Promise<World> {
  const environment = await createTestEnvironment(env);
  const app = await createTestApi(environment);
  const dataSource = dataSourceOf(app);
  const organisation = await makeOrganisation(dataSource);
  const admin = await makeUser(dataSource, { role: 'platform_admin' });
  const professional = await makeUser(dataSource, { organisationId: organisation.id });
  return {
    environment,
    app,
    dataSource,
    admin,
    adminToken: await signIn(dataSource, environment.config, admin),
    professional,
    professionalToken: await signIn(dataSource, environment.config, professional),
  };
}

/** The pass cookie a platform admin gets from POST /api/admin/queues/session. */
async function openBoard(w: World): Promise<string> {
  const response = await request(w.app.getHttpServer())
    .post('/api/admin/queues/session')
    .set('Authorization', `Bearer ${w.adminToken}`)
    .expect(204);
  const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? [])[0] ?? '';
  expect(cookie).toMatch(new RegExp(`^${BOARD_COOKIE}=[\\w-]+\\.[\\w-]+;`));
  expect(cookie).toContain('HttpOnly');
  expect(cookie).toContain('SameSite=Strict');
  expect(cookie).toContain(`Path=${BOARD}`);
  expect(cookie).toContain('Max-Age=600');
  return cookie.split(';')[0]!;
}

describe('queue view for platform admins (read-only by default)', () => {
  let w: World;

  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w.app.close();
    await w.environment.teardown();
  });

  it('the JSON summary: 401 anonymous, 403 to a professional, the queues to a platform admin', async () => {
    const http = request(w.app.getHttpServer());
    await http.get('/api/admin/queues').expect(401);
    await http.get('/api/admin/queues').set('Authorization', `Bearer ${w.professionalToken}`).expect(403);
    await queue(w.app, 'sms').add('sms.send', { smsMessageId: 'x' }, { delay: 60_000, jobId: 'board-test' });
    const summary = await http
      .get('/api/admin/queues')
      .set('Authorization', `Bearer ${w.adminToken}`)
      .expect(200);
    const body = summary.body as Array<{ name: string; counts: Record<string, number>; paused: boolean }>;
    expect(body.map((entry) => entry.name).sort()).toEqual([
      'alerts',
      'email',
      'maintenance',
      'sms',
      'webhooks',
    ]);
    expect(body.find((entry) => entry.name === 'sms')).toMatchObject({
      counts: { delayed: 1 },
      paused: false,
    });
  });

  it('the board pass: 401 anonymous, 403 to a professional, a short-lived HttpOnly cookie for a platform admin (audited)', async () => {
    const http = request(w.app.getHttpServer());
    await http.post('/api/admin/queues/session').expect(401);
    await http
      .post('/api/admin/queues/session')
      .set('Authorization', `Bearer ${w.professionalToken}`)
      .expect(403);
    await openBoard(w);
    const [event] = await w.dataSource.query<Array<{ actor_id: string }>>(
      `SELECT actor_id FROM audit_events WHERE action = 'queue.board.open'`,
    );
    expect(event?.actor_id).toBe(w.admin.id);
  });

  it('Bull Board: refused without a pass (401), with a forged or expired one (401), to a professional (403)', async () => {
    const http = request(w.app.getHttpServer());
    const anonymous = await http.get(`${BOARD}/`).expect(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401 });
    await http.get(`${BOARD}/api/queues`).expect(401);
    // A user's JWT in the header does not open the board: the pass does.
    await http.get(`${BOARD}/api/queues`).set('Authorization', `Bearer ${w.adminToken}`).expect(401);
    const forged = issueBoardPass(
      'another-secret-another-secret-another',
      w.admin.id,
      w.environment.clock.now(),
    );
    await http.get(`${BOARD}/api/queues`).set('Cookie', `${BOARD_COOKIE}=${forged}`).expect(401);
    const expired = issueBoardPass(
      w.environment.config.jwtSecret,
      w.admin.id,
      new Date(w.environment.clock.now().getTime() - 601_000),
    );
    await http.get(`${BOARD}/api/queues`).set('Cookie', `${BOARD_COOKIE}=${expired}`).expect(401);
    const fresh = issueBoardPass(w.environment.config.jwtSecret, w.admin.id, w.environment.clock.now());
    await http.get(`${BOARD}/api/queues`).set('Cookie', `${BOARD_COOKIE}=${fresh}`).expect(200);
    // Even a validly signed pass is re-checked against the user: a professional is refused.
    const professional = issueBoardPass(
      w.environment.config.jwtSecret,
      w.professional.id,
      w.environment.clock.now(),
    );
    await http.get(`${BOARD}/api/queues`).set('Cookie', `${BOARD_COOKIE}=${professional}`).expect(403);
  });

  it('Bull Board with a pass: the UI and its API answer, read-only: retry and clean refused (403)', async () => {
    const http = request(w.app.getHttpServer());
    const cookie = await openBoard(w);
    const page = await http.get(`${BOARD}/`).set('Cookie', cookie).expect(200);
    expect(page.text).toContain('<script');
    const queues = await http.get(`${BOARD}/api/queues`).set('Cookie', cookie).expect(200);
    const names = (queues.body as { queues: Array<{ name: string; readOnlyMode: boolean }> }).queues;
    expect(names.map((entry) => entry.name).sort()).toEqual([
      'alerts',
      'email',
      'maintenance',
      'sms',
      'webhooks',
    ]);
    expect(names.every((entry) => entry.readOnlyMode)).toBe(true);
    await http.put(`${BOARD}/api/queues/sms/retry/failed`).set('Cookie', cookie).expect(403);
    await http.put(`${BOARD}/api/queues/sms/clean/completed`).set('Cookie', cookie).expect(403);
    // A deactivated admin's pass stops working at once.
    await w.dataSource.query('UPDATE users SET active = false WHERE id = $1', [w.admin.id]);
    await http.get(`${BOARD}/api/queues`).set('Cookie', cookie).expect(403);
    await w.dataSource.query('UPDATE users SET active = true WHERE id = $1', [w.admin.id]);
  });
});

describe('queue board actions with QUEUE_BOARD_ACTIONS=true', () => {
  let w: World;

  beforeAll(async () => {
    w = await world({ QUEUE_BOARD_ACTIONS: 'true' });
  });
  afterAll(async () => {
    await w.app.close();
    await w.environment.teardown();
  });

  it('allows retry and clean, audited; adding or editing jobs and emptying a queue stay refused', async () => {
    const http = request(w.app.getHttpServer());
    const cookie = await openBoard(w);
    await queue(w.app, 'email').add(
      'email.send',
      { emailMessageId: 'y' },
      { jobId: 'board-action-test', delay: 60_000 },
    );
    const ok = (response: { status: number }): void => expect([200, 204]).toContain(response.status);
    await http.put(`${BOARD}/api/queues/email/board-action-test/promote`).set('Cookie', cookie).expect(ok);
    expect(await (await queue(w.app, 'email').getJob('board-action-test'))?.getState()).not.toBe('delayed');
    await http.put(`${BOARD}/api/queues/email/clean/completed`).set('Cookie', cookie).expect(ok);
    const events = await w.dataSource.query<
      Array<{ actor_id: string; metadata: { method: string; path: string } }>
    >(`SELECT actor_id, metadata FROM audit_events WHERE action = 'queue.action' ORDER BY id`);
    expect(events).toEqual([
      {
        actor_id: w.admin.id,
        metadata: { method: 'PUT', path: '/api/queues/email/board-action-test/promote' },
      },
      { actor_id: w.admin.id, metadata: { method: 'PUT', path: '/api/queues/email/clean/completed' } },
    ]);
    await http
      .post(`${BOARD}/api/queues/email/add`)
      .set('Cookie', cookie)
      .send({ name: 'x', data: {} })
      .expect(403);
    await http.put(`${BOARD}/api/queues/email/empty`).set('Cookie', cookie).expect(403);
    await http
      .patch(`${BOARD}/api/queues/email/board-action-test/update-data`)
      .set('Cookie', cookie)
      .send({})
      .expect(403);
    // Professionals still cannot get a pass.
    await http
      .post('/api/admin/queues/session')
      .set('Authorization', `Bearer ${w.professionalToken}`)
      .expect(403);
  });
});
