import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { USER_ROLES, type AuditEventView, type AuditListResponse } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { makeAlertParent } from '../../testing/alerts-factories.js';
import { startIdentityApi, stopTestApi, type IdentityApi } from '../../testing/api-spec.js';
import type { IdentityWorld, SignedInUser } from '../../testing/identity-factories.js';
import type { TestEnvironment } from '../../testing/test-app.js';
import { ParentNames } from '../parents/parent-names.service.js';
import { parentNamesScope } from './audit-parents.js';

/**
 * The audit log names the parents an event is about only for a reader who may see their identity (a member of
 * the parent's organisation who reads parents: its org admin), and such a page is itself an audited named read
 * (`audit.read`, ids only). Real PostgreSQL, through the API.
 */
describe('GET /api/audit names parents for those allowed, and audits it (real Postgres)', () => {
  let spec: Partial<IdentityApi> = {};
  let environment: TestEnvironment;
  let app: INestApplication;
  let dataSource: DataSource;
  let world: IdentityWorld;
  let ines: { id: string };
  let lina: { id: string };
  let others: { id: string }[];

  const list = (token: string, query = ''): Promise<AuditListResponse> =>
    request(app.getHttpServer())
      .get(`/api/audit${query}`)
      .auth(token, { type: 'bearer' })
      .expect(200)
      .then((response) => response.body as AuditListResponse);

  /** An event written by a professional in their organisation's log (as the rooms write them). */
  async function event(
    by: SignedInUser,
    action: string,
    target: { type: string; id: string | null },
    metadata: Record<string, unknown>,
  ): Promise<void> {
    await dataSource.query(
      `INSERT INTO "audit_events" ("organisation_id", "actor_id", "action", "target_type", "target_id", "metadata")
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [by.user.organisationId, by.user.id, action, target.type, target.id, JSON.stringify(metadata)],
    );
  }

  /** The `audit.read` events an actor caused, oldest first. */
  const auditReads = (actorId: string) =>
    dataSource.query<
      { organisation_id: string | null; target_type: string; metadata: Record<string, unknown> }[]
    >(
      `SELECT organisation_id, target_type, metadata FROM audit_events
        WHERE action = 'audit.read' AND actor_id = $1 ORDER BY id`,
      [actorId],
    );

  const byAction = (items: AuditEventView[], action: string) =>
    items.filter((item) => item.action === action);

  beforeAll(async () => {
    const started = await startIdentityApi();
    spec = started;
    ({ environment, api: app, dataSource, world } = started);
    ines = await makeAlertParent(dataSource, environment.config, {
      organisationId: world.orgA.id,
      firstName: 'Inès',
      lastName: 'Martin',
    });
    lina = await makeAlertParent(dataSource, environment.config, {
      organisationId: world.orgB.id,
      firstName: 'Lina',
      lastName: 'Durand',
    });
    // A real named read by a professional of A: the API writes `parent.read` with the parent as its target.
    await request(app.getHttpServer())
      .get(`/api/parents/${ines.id}`)
      .auth(world.professionalA.token, { type: 'bearer' })
      .expect(200);
    // An alert read names its parent in the metadata; a list read keeps its ids there.
    const alert = (id: string) => ({ type: 'alert', id });
    await event(world.professionalA, 'alert.read', alert('4e0c1b5e-8a51-4c1f-9d0c-0b3c2f1a7d11'), {
      parentId: ines.id,
    });
    others = await Promise.all(
      ['Zoé', 'Léa', 'Maël'].map((firstName) =>
        makeAlertParent(dataSource, environment.config, {
          organisationId: world.orgA.id,
          firstName,
          lastName: 'Petit',
        }),
      ),
    );
    for (const other of others)
      await event(
        world.professionalA,
        'parent.update',
        { type: 'parent', id: other.id },
        { fields: ['language'] },
      );
    await event(
      world.professionalA,
      'parent.list',
      { type: 'parent', id: null },
      { parentIds: [ines.id, ...others.map((other) => other.id)], page: 1 },
    );
    // Organisation B: its own parent, a reference to A's parent (which B's admin must never see named), and a
    // metadata value that is no id (left alone, never a 500).
    await event(
      world.professionalB,
      'parent.update',
      { type: 'parent', id: lina.id },
      { fields: ['language'] },
    );
    await event(world.professionalB, 'alert.read', alert('5f1d2c6f-9b62-4d20-8e1d-1c4d3a2b8e22'), {
      parentId: ines.id,
    });
    await event(
      world.professionalB,
      'alert.sms_resolved',
      { type: 'alert', id: null },
      { parentId: 'not-an-id' },
    );
  });

  afterAll(() => stopTestApi(spec));

  it('names the parent and the professional for the org admin of the parent’s organisation', async () => {
    const page = await list(world.orgAdminA.token);
    const [read] = byAction(page.items, 'parent.read');
    expect(read).toMatchObject({
      actorDisplayName: 'Pro A',
      targetType: 'parent',
      targetId: ines.id,
      parents: [{ id: ines.id, name: 'Inès Martin' }],
    });
    expect(byAction(page.items, 'alert.read')[0]?.parents).toEqual([{ id: ines.id, name: 'Inès Martin' }]);
    expect(
      byAction(page.items, 'parent.update')
        .map((item) => item.parents[0]?.name)
        .sort(),
    ).toEqual(['Léa Petit', 'Maël Petit', 'Zoé Petit']);
    // A list read is not expanded into names: its ids stay in the metadata.
    const [listRead] = byAction(page.items, 'parent.list');
    expect(listRead?.parents).toEqual([]);
    expect(listRead?.metadata['parentIds']).toHaveLength(4);
    expect(JSON.stringify(listRead)).not.toContain('Petit');
  });

  it('audits a page that names parents: one `audit.read` event, the ids shown and no name', async () => {
    const before = await auditReads(world.orgAdminA.user.id);
    await list(world.orgAdminA.token, '?action=parent.read');
    const after = await auditReads(world.orgAdminA.user.id);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toEqual({
      organisation_id: world.orgA.id,
      target_type: 'parent',
      metadata: { parentIds: [ines.id], page: 1 },
    });
    // The audited read shows up in the log itself, as a list read: ids in the metadata, no name.
    const page = await list(world.orgAdminA.token, '?action=audit.read');
    expect(page.items[0]).toMatchObject({
      action: 'audit.read',
      parents: [],
      metadata: { parentIds: [ines.id] },
    });
  });

  it('records no `audit.read` when the page names nobody', async () => {
    const before = await auditReads(world.orgAdminA.user.id);
    const page = await list(world.orgAdminA.token, '?action=parent.list');
    expect(page.items.every((item) => item.parents.every((parent) => parent.name === null))).toBe(true);
    expect(await auditReads(world.orgAdminA.user.id)).toHaveLength(before.length);
  });

  it('looks the names of a whole page up in one batch (no call per event)', async () => {
    const lookUp = jest.spyOn(app.get(ParentNames), 'of');
    try {
      const page = await list(world.orgAdminA.token);
      expect(page.items.filter((item) => item.parents.some((parent) => parent.name)).length).toBeGreaterThan(
        1,
      );
      expect(lookUp).toHaveBeenCalledTimes(1);
      expect(lookUp.mock.calls[0]?.[0]).toEqual({ organisationId: world.orgA.id });
      expect(new Set(lookUp.mock.calls[0]?.[1])).toEqual(
        new Set([ines.id, ...others.map((other) => other.id)]),
      );
    } finally {
      lookUp.mockRestore();
    }
  });

  it('never names a parent for a platform admin, across organisations, and writes no named read', async () => {
    const page = await list(world.platformAdmin.token);
    const concerned = page.items.filter((item) => item.parents.length > 0);
    expect(concerned.map((item) => item.action).sort()).toEqual(
      expect.arrayContaining(['alert.read', 'alert.read', 'parent.read', 'parent.update']),
    );
    expect(concerned.flatMap((item) => item.parents).every((parent) => parent.name === null)).toBe(true);
    expect(page.items.find((item) => item.action === 'parent.read')?.parents).toEqual([
      { id: ines.id, name: null },
    ]);
    const body = JSON.stringify(page);
    expect(body).not.toContain('Martin');
    expect(body).not.toContain('Durand');
    expect(await auditReads(world.platformAdmin.user.id)).toEqual([]);
  });

  it('never names another organisation’s parent, even when an event of its own log points at one', async () => {
    const page = await list(world.orgAdminB.token);
    expect(page.items.every((item) => item.organisationId === world.orgB.id)).toBe(true);
    expect(byAction(page.items, 'parent.update')[0]?.parents).toEqual([{ id: lina.id, name: 'Lina Durand' }]);
    expect(byAction(page.items, 'alert.read')[0]?.parents).toEqual([{ id: ines.id, name: null }]);
    expect(byAction(page.items, 'alert.sms_resolved')[0]?.parents).toEqual([]);
    expect(JSON.stringify(page)).not.toContain('Martin');
    // Only the parent it named is in its audited read.
    expect((await auditReads(world.orgAdminB.user.id)).at(-1)?.metadata).toEqual({
      parentIds: [lina.id],
      page: 1,
    });
  });

  it('keeps the log closed to roles without it, and names only for a role that reads parents', async () => {
    for (const user of [world.professionalA, world.coordinator])
      await request(app.getHttpServer()).get('/api/audit').auth(user.token, { type: 'bearer' }).expect(403);
    const reader = (role: AuthUser['role'], organisationId: string | null): AuthUser => ({
      id: 'u',
      role,
      organisationId,
      territory: { departements: ['62'], region: null },
    });
    const scopes = Object.fromEntries(
      USER_ROLES.map((role) => [role, parentNamesScope(reader(role, world.orgA.id))]),
    );
    expect(scopes).toEqual({
      professional: { organisationId: world.orgA.id },
      org_admin: { organisationId: world.orgA.id },
      coordinator: null,
      platform_admin: null,
    });
    expect(parentNamesScope(reader('org_admin', null))).toBeNull();
    expect(
      parentNamesScope({
        ...reader('org_admin', world.orgA.id),
        apiKey: { id: 'k', scopes: ['parents:read'] },
      }),
    ).toBeNull();
  });

  it('keeps names out of every audit event’s metadata', async () => {
    const [row] = await dataSource.query<{ count: string }[]>(
      `SELECT count(*) FROM audit_events
        WHERE metadata::text ILIKE ANY (ARRAY['%Martin%', '%Durand%', '%Inès%', '%Lina%', '%Petit%'])`,
    );
    expect(Number(row!.count)).toBe(0);
    const [reads] = await dataSource.query<{ count: string }[]>(
      `SELECT count(*) FROM audit_events WHERE action = 'audit.read'`,
    );
    expect(Number(reads!.count)).toBeGreaterThan(0);
  });
});
