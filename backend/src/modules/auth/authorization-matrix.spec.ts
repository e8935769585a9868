import request from 'supertest';
import type { UserRole } from '@lien/shared';
import { makeUser } from '../../testing/factories.js';
import { startIdentityApi, stopTestApi, type IdentityApi } from '../../testing/api-spec.js';
import type { SignedInUser } from '../../testing/identity-factories.js';
import { makeAlert } from '../../testing/alerts-factories.js';
import { makeParent } from '../../testing/parents-factories.js';
import type { AlertEntity } from '../alerts/alert.entity.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { ParentEntity } from '../parents/parent.entity.js';
import { ReferralResourceEntity } from '../referrals/referral-resource.entity.js';
import type { UserEntity } from '../users/user.entity.js';

jest.setTimeout(120_000);

/**
 * The authorization matrix: each role × each kind of target organisation × each endpoint, with the expected status.
 *
 * Actors: a professional and an org admin of organisation A (62), a coordinator of départements 62 and 59, a platform admin.
 * Targets: `own` = A; `territory` = C (59: inside the coordinator's territory, another organisation for A's users);
 * `other` = B (57: outside everything). Cross-organisation record reads answer 404, never 403.
 *
 * To add an endpoint: add a row (its request is built from the target's fixtures) with the expected statuses.
 */
const ROLES = [
  'professional',
  'org_admin',
  'coordinator',
  'platform_admin',
] as const satisfies readonly UserRole[];
type Role = (typeof ROLES)[number];
const TARGETS = ['own', 'territory', 'other'] as const;
type Target = (typeof TARGETS)[number];

interface TargetFixtures {
  organisation: OrganisationEntity;
  /** A professional of the target organisation (for /api/users/:id). */
  member: UserEntity;
  /** A named parent of the target organisation, with an open alert. */
  parent: ParentEntity;
  alert: AlertEntity;
  /** An entry of the target organisation's referral directory. */
  resource: ReferralResourceEntity;
}

interface Call {
  method: 'get' | 'post' | 'patch';
  path: string;
  body?: Record<string, unknown>;
}

type Expectation = number | Partial<Record<Target, number>>;

interface Row {
  name: string;
  call: (target: TargetFixtures) => Call;
  expect: Record<Role, Expectation>;
  /** Extra check of a 200 answer (e.g. a list leaks nothing of other organisations). */
  check?: Check;
}

type Check = (
  body: unknown,
  context: { role: Role; target: TargetFixtures; visible: ReadonlySet<string> },
) => void;

const everywhere = (status: number): Expectation => ({ own: status, territory: status, other: status });
const ownOnly = (status: number): Expectation => ({ own: status, territory: 404, other: 404 });
/** Organisation A, once built (the `own` target of A's professional and admin). */
const OWN_ORGANISATION = { id: '' };

/** An org admin's page of `items` holds only items of organisations they see. */
const orgAdminItemsVisible: Check = (body, { role, visible }) => {
  const items = (body as { items: Array<{ organisationId: string | null }> }).items;
  if (role === 'org_admin')
    expect(items.every((item) => item.organisationId !== null && visible.has(item.organisationId))).toBe(
      true,
    );
};

/** A list never shows the target's record when the target is not organisation A (the callers' own). */
const hidesForeign =
  (record: (target: TargetFixtures) => { id: string }): Check =>
  (body, { target }) => {
    if (target.organisation.id !== OWN_ORGANISATION.id)
      expect(JSON.stringify(body)).not.toContain(record(target).id);
  };

const ROWS: Row[] = [
  {
    name: 'GET /api/organisations/:id',
    call: ({ organisation }) => ({ method: 'get', path: `/api/organisations/${organisation.id}` }),
    expect: {
      professional: ownOnly(200),
      org_admin: ownOnly(200),
      coordinator: { own: 200, territory: 200, other: 404 },
      platform_admin: everywhere(200),
    },
  },
  {
    name: 'GET /api/organisations',
    call: () => ({ method: 'get', path: '/api/organisations' }),
    expect: { professional: 200, org_admin: 200, coordinator: 200, platform_admin: 200 },
    check: (body, { visible, role }) => {
      const ids = (body as Array<{ id: string }>).map((organisation) => organisation.id);
      if (role !== 'platform_admin') expect(ids.every((id) => visible.has(id))).toBe(true);
      expect(ids.length).toBeGreaterThan(0);
    },
  },
  {
    name: 'PATCH /api/organisations/:id',
    call: ({ organisation }) => ({
      method: 'patch',
      path: `/api/organisations/${organisation.id}`,
      body: { name: organisation.name },
    }),
    expect: { professional: 403, org_admin: 403, coordinator: 403, platform_admin: everywhere(200) },
  },
  {
    name: 'POST /api/organisations',
    call: () => ({
      method: 'post',
      path: '/api/organisations',
      body: {
        name: `Matrix ${Math.random().toString(36).slice(2, 8)}`,
        kind: 'other',
        departement: '62',
        smsSender: 'Matrix',
      },
    }),
    expect: { professional: 403, org_admin: 403, coordinator: 403, platform_admin: 201 },
  },
  {
    name: 'GET /api/organisations/:id/settings',
    call: ({ organisation }) => ({ method: 'get', path: `/api/organisations/${organisation.id}/settings` }),
    expect: { professional: ownOnly(200), org_admin: ownOnly(200), coordinator: 403, platform_admin: 403 },
  },
  {
    name: 'PATCH /api/organisations/:id/settings',
    call: ({ organisation }) => ({
      method: 'patch',
      path: `/api/organisations/${organisation.id}/settings`,
      body: { linkExpiryDays: 7 },
    }),
    expect: { professional: 403, org_admin: ownOnly(200), coordinator: 403, platform_admin: 403 },
  },
  {
    name: 'GET /api/users',
    call: ({ organisation }) => ({ method: 'get', path: `/api/users?organisationId=${organisation.id}` }),
    expect: {
      professional: 403,
      org_admin: ownOnly(200),
      coordinator: 403,
      platform_admin: everywhere(200),
    },
    check: orgAdminItemsVisible,
  },
  {
    name: 'GET /api/users/:id',
    call: ({ member }) => ({ method: 'get', path: `/api/users/${member.id}` }),
    expect: { professional: 403, org_admin: ownOnly(200), coordinator: 403, platform_admin: everywhere(200) },
  },
  {
    name: 'PATCH /api/users/:id',
    call: ({ member }) => ({
      method: 'patch',
      path: `/api/users/${member.id}`,
      body: { displayName: member.displayName },
    }),
    expect: { professional: 403, org_admin: ownOnly(200), coordinator: 403, platform_admin: everywhere(200) },
  },
  {
    name: 'POST /api/users/:id/invitation',
    call: ({ member }) => ({ method: 'post', path: `/api/users/${member.id}/invitation` }),
    // The member has not set a password yet: a fresh link is sent where allowed.
    expect: { professional: 403, org_admin: ownOnly(200), coordinator: 403, platform_admin: everywhere(200) },
  },
  {
    name: 'GET /api/audit',
    call: ({ organisation }) => ({ method: 'get', path: `/api/audit?organisationId=${organisation.id}` }),
    expect: { professional: 403, org_admin: ownOnly(200), coordinator: 403, platform_admin: everywhere(200) },
    check: orgAdminItemsVisible,
  },
  // Named parents and alerts: the organisation's professionals and admins only; coordinators and platform admins never.
  {
    name: 'GET /api/parents/:id',
    call: ({ parent }) => ({ method: 'get', path: `/api/parents/${parent.id}` }),
    expect: { professional: ownOnly(200), org_admin: ownOnly(200), coordinator: 403, platform_admin: 403 },
  },
  // FHIR: the same rule as the console's parent and alert pages (named data), the instrument public.
  {
    name: 'GET /fhir/Patient/:id',
    call: ({ parent }) => ({ method: 'get', path: `/fhir/Patient/${parent.id}` }),
    expect: { professional: ownOnly(200), org_admin: ownOnly(200), coordinator: 403, platform_admin: 403 },
  },
  {
    name: 'GET /fhir/Task/:id',
    call: ({ alert }) => ({ method: 'get', path: `/fhir/Task/${alert.id}` }),
    expect: { professional: ownOnly(200), org_admin: ownOnly(200), coordinator: 403, platform_admin: 403 },
  },
  {
    name: 'GET /fhir/Task?patient=',
    call: ({ parent }) => ({ method: 'get', path: `/fhir/Task?patient=${parent.id}` }),
    expect: { professional: 200, org_admin: 200, coordinator: 403, platform_admin: 403 },
    check: (body, { role, target }) => {
      const { total } = body as { total: number };
      if (role === 'professional' || role === 'org_admin')
        expect(total).toBe(target.organisation.id === OWN_ORGANISATION.id ? 1 : 0);
    },
  },
  {
    name: 'GET /fhir/Questionnaire/epds-fr',
    call: () => ({ method: 'get', path: '/fhir/Questionnaire/epds-fr' }),
    expect: { professional: 200, org_admin: 200, coordinator: 200, platform_admin: 200 },
  },
  {
    name: 'GET /api/parents/:id/history',
    call: ({ parent }) => ({ method: 'get', path: `/api/parents/${parent.id}/history` }),
    expect: { professional: ownOnly(200), org_admin: ownOnly(200), coordinator: 403, platform_admin: 403 },
  },
  {
    name: 'GET /api/parents',
    call: () => ({ method: 'get', path: '/api/parents' }),
    expect: { professional: 200, org_admin: 200, coordinator: 403, platform_admin: 403 },
    check: hidesForeign((target) => target.parent),
  },
  {
    name: 'GET /api/alerts/:id',
    call: ({ alert }) => ({ method: 'get', path: `/api/alerts/${alert.id}` }),
    expect: { professional: ownOnly(200), org_admin: ownOnly(200), coordinator: 403, platform_admin: 403 },
  },
  {
    name: 'GET /api/alerts',
    call: () => ({ method: 'get', path: '/api/alerts' }),
    expect: { professional: 200, org_admin: 200, coordinator: 403, platform_admin: 403 },
    check: hidesForeign((target) => target.alert),
  },
  // Aggregates: coordinators for their territory, org admins for their organisation, platform admins everywhere.
  {
    name: 'GET /api/reports/summary?organisationId=',
    call: ({ organisation }) => ({
      method: 'get',
      path: `/api/reports/summary?organisationId=${organisation.id}`,
    }),
    expect: {
      professional: 403,
      org_admin: ownOnly(200),
      coordinator: { own: 200, territory: 200, other: 404 },
      platform_admin: everywhere(200),
    },
  },
  // The referral directory: read by the organisation's own, kept by its admins and by the territory's coordinators.
  {
    name: 'GET /api/referral-resources',
    call: () => ({ method: 'get', path: '/api/referral-resources' }),
    expect: { professional: 200, org_admin: 200, coordinator: 200, platform_admin: 403 },
    check: (body, { visible }) => {
      const entries = body as Array<{ organisationId: string }>;
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.every((entry) => visible.has(entry.organisationId))).toBe(true);
    },
  },
  {
    name: 'GET /api/referral-resources/:id',
    call: ({ resource }) => ({ method: 'get', path: `/api/referral-resources/${resource.id}` }),
    expect: {
      professional: ownOnly(200),
      org_admin: ownOnly(200),
      coordinator: { own: 200, territory: 200, other: 404 },
      platform_admin: 403,
    },
  },
  {
    name: 'POST /api/referral-resources',
    call: ({ organisation }) => ({
      method: 'post',
      path: '/api/referral-resources',
      body: { organisationId: organisation.id, name: 'CMP de la matrice', kind: 'cmp' },
    }),
    expect: {
      professional: 403,
      org_admin: ownOnly(201),
      coordinator: { own: 201, territory: 201, other: 404 },
      platform_admin: 403,
    },
  },
  {
    name: 'PATCH /api/referral-resources/:id',
    call: ({ resource }) => ({
      method: 'patch',
      path: `/api/referral-resources/${resource.id}`,
      body: { usualDelayDays: 30 },
    }),
    expect: {
      professional: 403,
      org_admin: ownOnly(200),
      coordinator: { own: 200, territory: 200, other: 404 },
      platform_admin: 403,
    },
  },
  {
    name: 'GET /api/auth/me',
    call: () => ({ method: 'get', path: '/api/auth/me' }),
    expect: { professional: 200, org_admin: 200, coordinator: 200, platform_admin: 200 },
  },
];

describe('authorization matrix: role × organisation × endpoint (real Postgres)', () => {
  let { environment, api: app, dataSource, world } = {} as IdentityApi;
  const targets = {} as Record<Target, TargetFixtures>;
  const actors = {} as Record<Role, SignedInUser>;
  const visible = {} as Record<Role, Set<string>>;

  beforeAll(async () => {
    ({ environment, api: app, dataSource, world } = await startIdentityApi());
    OWN_ORGANISATION.id = world.orgA.id;
    const member = (organisation: OrganisationEntity) =>
      makeUser(dataSource, {
        role: 'professional',
        organisationId: organisation.id,
        displayName: `Member of ${organisation.name}`,
      });
    const fixtures = async (organisation: OrganisationEntity): Promise<TargetFixtures> => {
      const parent = await makeParent(dataSource, environment.config, organisation);
      return {
        organisation,
        member: await member(organisation),
        parent,
        alert: await makeAlert(dataSource, parent),
        resource: await dataSource.getRepository(ReferralResourceEntity).save({
          organisationId: organisation.id,
          name: `CMP of ${organisation.name}`,
          kind: 'cmp',
        }),
      };
    };
    targets.own = await fixtures(world.orgA);
    targets.territory = await fixtures(world.orgC);
    targets.other = await fixtures(world.orgB);
    Object.assign(actors, {
      professional: world.professionalA,
      org_admin: world.orgAdminA,
      coordinator: world.coordinator,
      platform_admin: world.platformAdmin,
    });
    Object.assign(visible, {
      professional: new Set([world.orgA.id]),
      org_admin: new Set([world.orgA.id]),
      coordinator: new Set([world.orgA.id, world.orgC.id]),
      platform_admin: new Set([world.orgA.id, world.orgB.id, world.orgC.id]),
    });
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  const cells = ROWS.flatMap((row) =>
    ROLES.flatMap((role) =>
      TARGETS.map((target) => {
        const expectation = row.expect[role];
        const status = typeof expectation === 'number' ? expectation : expectation[target];
        return { row, role, target, status };
      }),
    ),
  ).filter(
    (cell): cell is { row: Row; role: Role; target: Target; status: number } => cell.status !== undefined,
  );

  it.each(cells.map((cell) => [cell.row.name, cell.role, cell.target, cell.status, cell] as const))(
    '%s as %s on the %s organisation -> %i',
    async (_name, role, target, status, cell) => {
      const call = cell.row.call(targets[target]);
      const agent = request(app.getHttpServer());
      let pending = agent[call.method](call.path).auth(actors[role].token, { type: 'bearer' });
      if (call.body) pending = pending.send(call.body);
      const response = await pending;
      expect({ status: response.status, body: response.status === status ? 'ok' : response.body }).toEqual({
        status,
        body: 'ok',
      });
      if (status === 404) {
        // Cross-tenant answers say nothing about existence.
        expect(response.body).toMatchObject(
          // FHIR routes answer their errors as OperationOutcomes.
          call.path.startsWith('/fhir/')
            ? { resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] }
            : { statusCode: 404, error: 'Not Found' },
        );
        expect(JSON.stringify(response.body)).not.toContain(targets[target].organisation.name);
      }
      if (status === 200 && cell.row.check)
        cell.row.check(response.body, { role, target: targets[target], visible: visible[role] });
    },
  );

  it('answers a missing record and another organisation’s record identically (no existence oracle)', async () => {
    const missing = await request(app.getHttpServer())
      .get('/api/users/00000000-0000-4000-8000-000000000000')
      .auth(actors.org_admin.token, { type: 'bearer' })
      .set('X-Request-Id', 'oracle-check')
      .expect(404);
    const foreign = await request(app.getHttpServer())
      .get(`/api/users/${targets.other.member.id}`)
      .auth(actors.org_admin.token, { type: 'bearer' })
      .set('X-Request-Id', 'oracle-check')
      .expect(404);
    expect(foreign.body).toEqual(missing.body);
  });
});
