import type { AlertDetail, AlertListItem, AlertListResponse } from '@lien/shared';
import { makeOrganisation, makeUser, signIn, signInNewUser } from '../../testing/factories.js';
import { reportResponse } from '../../testing/reports-factories.js';
import { settingsPatcher } from '../../testing/settings-api.js';
import { makeAlert, makeAlertParent, makeInvitation } from '../../testing/alerts-factories.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { ParentEntity } from '../parents/parent.entity.js';
import type { UserEntity } from '../users/user.entity.js';
import { parentInitials } from './alert-list-view.js';
import { signedBy, startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';

/**
 * The dashboard list a professional recognises cases from (issue 19): the parent's initials or name (setting),
 * role, wave, band and score, the deadline, the colleague holding it; audited like a detail read; the reader's
 * own overdue alerts first (issue 16).
 */
describe('alert dashboard list', () => {
  let { environment, api, dataSource } = {} as TestApi;
  let organisation: OrganisationEntity;
  let me: UserEntity;
  let colleague: UserEntity;
  let token: string;
  let colleagueToken: string;
  const ids: Record<string, string> = {};
  const parentIds: Record<string, string> = {};

  beforeAll(async () => {
    ({ environment, api, dataSource } = await startTestApi());
    organisation = await makeOrganisation(dataSource, { name: 'PMI Artois' });
    me = await makeUser(dataSource, { organisationId: organisation.id, displayName: 'Anne Leroy' });
    colleague = await makeUser(dataSource, { organisationId: organisation.id, displayName: 'Claire Dubois' });
    token = await signIn(dataSource, environment.config, me);
    colleagueToken = await signIn(dataSource, environment.config, colleague);
    const now = environment.clock.now().getTime();
    const hour = 3_600_000;
    const specs = [
      // Not overdue, most severe: after every overdue alert.
      {
        key: 'urgentOnTime',
        first: 'Léa',
        last: 'Petit',
        role: 'mother' as const,
        severity: 'urgent' as const,
        contactDueAt: new Date(now + 3 * hour),
        assigneeId: colleague.id,
      },
      // Overdue, held by a colleague.
      {
        key: 'colleagueOverdue',
        first: 'Inès',
        last: 'Moreau',
        role: 'mother' as const,
        severity: 'high' as const,
        contactDueAt: new Date(now - 2 * hour),
        assigneeId: colleague.id,
      },
      // Overdue, nobody holds it, more severe than mine: still after mine.
      {
        key: 'unassignedOverdue',
        first: 'Marie-Claire',
        last: 'de Vries',
        role: 'co_parent' as const,
        severity: 'high' as const,
        contactDueAt: new Date(now - 5 * hour),
        assigneeId: null,
      },
      // Overdue and mine, the least severe: first for me.
      {
        key: 'mineOverdue',
        first: 'Louis',
        last: 'Martin',
        role: 'father' as const,
        severity: 'low' as const,
        contactDueAt: new Date(now - hour),
        assigneeId: null as string | null,
      },
    ];
    specs[3]!.assigneeId = me.id;
    for (const spec of specs) {
      const parent = await makeAlertParent(dataSource, environment.config, {
        organisationId: organisation.id,
        firstName: spec.first,
        lastName: spec.last,
        role: spec.role,
      });
      parentIds[spec.key] = parent.id;
      const alert = await makeAlert(dataSource, parent, {
        severity: spec.severity,
        contactDueAt: spec.contactDueAt,
        assigneeId: spec.assigneeId,
        status: 'acknowledged',
        acknowledgeDueAt: new Date(now - 10 * hour),
        acknowledgedAt: new Date(now - 11 * hour),
        createdAt: new Date(now - 12 * hour),
      });
      ids[spec.key] = alert.id;
    }
    // The colleague's alert has two answers: the row shows the latest (day 42, 14, high).
    const parent = { id: parentIds.colleagueOverdue!, organisationId: organisation.id } as ParentEntity;
    for (const [wave, score, band, at] of [
      ['day7', 11, 'moderate', now - 40 * 24 * hour],
      ['day42', 14, 'high', now - 13 * hour],
    ] as const) {
      const invitation = await makeInvitation(dataSource, parent, { wave, status: 'completed' });
      await reportResponse(dataSource, invitation, {
        band,
        score,
        alertId: ids.colleagueOverdue!,
        createdAt: new Date(at),
      });
    }
  });

  afterAll(() => stopTestApi({ environment, api }));

  const list = async (bearer = token, query = ''): Promise<AlertListResponse> =>
    (await signedBy(api, bearer).get(`/api/alerts${query}`).expect(200)).body as AlertListResponse;
  const row = (body: AlertListResponse, key: string): AlertListItem =>
    body.items.find((item) => item.id === ids[key])!;
  const listAudits = async (): Promise<{ actor_id: string; metadata: Record<string, unknown> }[]> =>
    dataSource.query(
      `SELECT actor_id, metadata FROM audit_events WHERE action = 'alert.list' AND organisation_id = $1
        ORDER BY created_at, id`,
      [organisation.id],
    );

  it('puts my own overdue alerts first, then the other overdue ones, then the rest (severity, then deadline)', async () => {
    expect((await list(token)).items.map((item) => item.id)).toEqual([
      ids.mineOverdue,
      ids.unassignedOverdue,
      ids.colleagueOverdue,
      ids.urgentOnTime,
    ]);
    // The colleague's own overdue alert comes first for the colleague.
    expect((await list(colleagueToken)).items.map((item) => item.id)).toEqual([
      ids.colleagueOverdue,
      ids.unassignedOverdue,
      ids.mineOverdue,
      ids.urgentOnTime,
    ]);
    // Filters keep the order.
    expect((await list(token, '?overdue=true')).items.map((item) => item.id)).toEqual([
      ids.mineOverdue,
      ids.unassignedOverdue,
      ids.colleagueOverdue,
    ]);
  });

  it('shows initials by default, the role, the latest wave with band and score, and who holds it', async () => {
    const body = await list();
    expect(body.parentNames).toBe('initials');
    expect(row(body, 'colleagueOverdue')).toMatchObject({
      parentLabel: 'I. M.',
      parentRole: 'mother',
      wave: 'day42',
      score: 14,
      band: 'high',
      assigneeId: colleague.id,
      assigneeName: 'Claire Dubois',
      overdue: true,
    });
    expect(row(body, 'unassignedOverdue')).toMatchObject({
      parentLabel: 'M.-C. D.',
      parentRole: 'co_parent',
      wave: null,
      score: null,
      band: null,
      assigneeName: null,
    });
    expect(row(body, 'mineOverdue')).toMatchObject({ parentLabel: 'L. M.', assigneeName: 'Anne Leroy' });
    expect(JSON.stringify(body)).not.toContain('Moreau');
  });

  it('audits each list read like a detail read: one event per read naming the parents shown', async () => {
    const before = (await listAudits()).length;
    await list(token);
    await list(token, '?overdue=true');
    const audits = (await listAudits()).slice(before);
    expect(audits).toHaveLength(2);
    expect(audits[0]!.actor_id).toBe(me.id);
    expect([...(audits[0]!.metadata['parentIds'] as string[])].sort()).toEqual(
      Object.values(parentIds).sort(),
    );
    expect(audits[0]!.metadata).toMatchObject({ page: 1, parentNames: 'initials' });
    expect([...(audits[1]!.metadata['parentIds'] as string[])].sort()).toEqual(
      [parentIds.mineOverdue, parentIds.unassignedOverdue, parentIds.colleagueOverdue].sort(),
    );
    // The event holds ids, never the names it answered.
    expect(JSON.stringify(audits)).not.toMatch(/Moreau|I\. M\./);
    // A read that shows nobody writes nothing.
    await list(token, '?status=closed');
    expect((await listAudits()).length).toBe(before + 2);
  });

  it('shows full names when the organisation chooses it, and refuses another value naming the field', async () => {
    const patchSettings = await settingsPatcher(api, organisation.id);
    const refused = await patchSettings({ alertListParentName: 'surname' }).expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'alertListParentName' })]);
    await patchSettings({ alertListParentName: 'full' }).expect(200);
    const body = await list();
    expect(body.parentNames).toBe('full');
    expect(row(body, 'colleagueOverdue').parentLabel).toBe('Inès Moreau');
    expect(row(body, 'unassignedOverdue').parentLabel).toBe('Marie-Claire de Vries');
    const [last] = (await listAudits()).slice(-1);
    expect(last!.metadata).toMatchObject({ parentNames: 'full' });
    const stored = await dataSource
      .getRepository(OrganisationEntity)
      .findOneByOrFail({ id: organisation.id });
    expect(stored.settings.alertListParentName).toBe('full');
  });

  it('names nobody to a partner key (alerts:read), and so writes no list-read event', async () => {
    const adminToken = await signInNewUser(dataSource, environment.config, {
      organisationId: organisation.id,
      role: 'org_admin',
    });
    const { key } = (
      await signedBy(api, adminToken)
        .post('/api/api-keys')
        .send({ name: 'Logiciel maternité', scopes: ['alerts:read'] })
        .expect(201)
    ).body as { key: string };
    const before = (await listAudits()).length;
    const body = await list(key);
    expect(body.items).toHaveLength(4);
    expect(body.items.every((item) => item.parentLabel === null)).toBe(true);
    expect(row(body, 'colleagueOverdue')).toMatchObject({ parentRole: 'mother', score: 14 });
    expect((await listAudits()).length).toBe(before);
  });

  it('names the colleague holding an alert and the events’ actors on its page too', async () => {
    await signedBy(api, token)
      .post(`/api/alerts/${ids.colleagueOverdue}/events`)
      .send({ type: 'note', text: 'Rappeler demain.' })
      .expect(201);
    const detail = (await signedBy(api, token).get(`/api/alerts/${ids.colleagueOverdue}`).expect(200))
      .body as AlertDetail;
    expect(detail.userNames).toEqual({ [colleague.id]: 'Claire Dubois', [me.id]: 'Anne Leroy' });
  });

  it('makes initials from compound and accented names', () => {
    expect(parentInitials('Élodie', 'Durand')).toBe('É. D.');
    expect(parentInitials('Jean - Pierre', 'Martin-Lefèvre')).toBe('J.-P. M.-L.');
    expect(parentInitials('ana', '')).toBe('A.');
  });
});
