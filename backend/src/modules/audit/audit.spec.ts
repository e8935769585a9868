import request from 'supertest';
import { auditEventOf } from '../../testing/factories.js';
import { startIdentityApi, stopTestApi, type IdentityApi } from '../../testing/api-spec.js';
import { DEFAULT_PAGE_SIZE } from '../../common/paging.js';
import { AuditEventEntity } from './audit-event.entity.js';

jest.setTimeout(30_000);

describe('GET /api/audit and the append-only log (real Postgres)', () => {
  let { environment, api: app, dataSource, world } = {} as IdentityApi;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ environment, api: app, dataSource, world } = await startIdentityApi());
    // The log read below: [organisation, actor, action, when]; a null actor is a failed sign-in.
    const events: Array<[string | null, string | null, string, string]> = [
      [world.orgA.id, world.professionalA.user.id, 'parent.read', '2026-01-10T10:00:00Z'],
      [world.orgA.id, world.professionalA.user.id, 'parent.update', '2026-01-11T10:00:00Z'],
      [world.orgA.id, world.orgAdminA.user.id, 'settings.update', '2026-01-12T10:00:00Z'],
      [world.orgA.id, null, 'auth.login.failure', '2026-01-13T10:00:00Z'],
      [world.orgB.id, world.professionalB.user.id, 'parent.read', '2026-01-10T11:00:00Z'],
      [null, null, 'auth.login.failure', '2026-01-10T12:00:00Z'],
    ];
    for (const [organisationId, actorId, action, createdAt] of events) {
      await dataSource.query(
        `INSERT INTO "audit_events" ("organisation_id", "actor_id", "action", "target_type", "target_id", "metadata", "created_at")
         VALUES ($1, $2, $3, 'user', $5, '{}', $4)`,
        [organisationId, actorId, action, createdAt, actorId],
      );
    }
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  const list = (token: string, query = '') =>
    http().get(`/api/audit${query}`).auth(token, { type: 'bearer' });

  it('shows an org admin their organisation’s events only, newest first, with the actor’s name', async () => {
    const response = await list(world.orgAdminA.token).expect(200);
    const items = response.body.items as Array<{
      organisationId: string;
      action: string;
      actorDisplayName: string | null;
      createdAt: string;
    }>;
    expect(response.body).toMatchObject({ total: 4, page: 1, pageSize: DEFAULT_PAGE_SIZE });
    expect(items.every((item) => item.organisationId === world.orgA.id)).toBe(true);
    expect(items.map((item) => item.action)).toEqual([
      'auth.login.failure',
      'settings.update',
      'parent.update',
      'parent.read',
    ]);
    expect(items[1]?.actorDisplayName).toBe('Admin A');
    expect(items[0]?.actorDisplayName).toBeNull();
  });

  it('answers 404 when an org admin asks for another organisation', async () => {
    await list(world.orgAdminA.token, `?organisationId=${world.orgB.id}`).expect(404);
    await list(world.orgAdminA.token, `?organisationId=${world.orgA.id}`).expect(200);
  });

  it('filters by action (exact or prefix), actor, period, and pages', async () => {
    const byAction = await list(world.orgAdminA.token, '?action=parent.read').expect(200);
    expect(byAction.body.total).toBe(1);
    const byPrefix = await list(world.orgAdminA.token, '?action=parent.*').expect(200);
    expect(byPrefix.body.total).toBe(2);
    const byActor = await list(world.orgAdminA.token, `?actorId=${world.professionalA.user.id}`).expect(200);
    expect(byActor.body.total).toBe(2);
    const byPeriod = await list(
      world.orgAdminA.token,
      '?from=2026-01-11T00:00:00Z&to=2026-01-13T00:00:00Z',
    ).expect(200);
    expect((byPeriod.body.items as Array<{ action: string }>).map((item) => item.action)).toEqual([
      'settings.update',
      'parent.update',
    ]);
    const page2 = await list(world.orgAdminA.token, '?pageSize=3&page=2').expect(200);
    expect(page2.body).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect((page2.body.items as Array<{ action: string }>).map((item) => item.action)).toEqual([
      'parent.read',
    ]);
  });

  it('lets a platform admin read any organisation, or everything', async () => {
    const orgB = await list(world.platformAdmin.token, `?organisationId=${world.orgB.id}`).expect(200);
    expect(orgB.body.total).toBe(1);
    const everything = await list(world.platformAdmin.token, '?action=auth.login.failure').expect(200);
    expect(everything.body.total).toBe(2);
  });

  it('is refused to professionals and coordinators (403)', async () => {
    await list(world.professionalA.token).expect(403);
    await list(world.coordinator.token).expect(403);
  });

  it.each([
    '?from=yesterday',
    '?organisationId=42',
    '?action=DROP%20TABLE',
    '?page=0',
    '?actorId=x',
    '?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    '?extra=1',
  ])('answers 400 for %s', async (query) => {
    const response = await list(world.orgAdminA.token, query).expect(400);
    expect(response.body.details).toEqual([expect.objectContaining({ field: expect.any(String) })]);
  });

  it('refuses UPDATE and DELETE of audit events at the database level', async () => {
    const row = await auditEventOf(dataSource, { action: 'settings.update' });
    await expect(
      dataSource.query(`UPDATE "audit_events" SET "action" = 'tampered' WHERE "id" = $1`, [row.id]),
    ).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM "audit_events" WHERE "id" = $1`, [row.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(dataSource.getRepository(AuditEventEntity).delete({ id: row.id })).rejects.toThrow(
      /append-only/,
    );
    expect(await auditEventOf(dataSource, { id: row.id })).toMatchObject({
      action: 'settings.update',
    });
  });
});
