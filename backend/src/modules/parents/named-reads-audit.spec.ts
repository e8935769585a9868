import type request from 'supertest';
import type { ParentDetail, ParentListResponse } from '@lien/shared';
import { makeAlertParent } from '../../testing/alerts-factories.js';
import { signedBy, stopTestApi } from '../../testing/api-spec.js';
import { startParentsApi, type ParentsApi } from '../../testing/parents-api.js';

/**
 * Every endpoint whose answer names a parent (name or phone) writes an audit event on every call: no
 * de-duplication, repeated calls and repeated withdrawals included. The list is every route answering a
 * ParentDetail or ParentListResponse (parents controller), plus the parent's history; the alert detail answers
 * no name (the console reveals the identity through GET /api/parents/:id, in this list).
 */
describe('every read of a named parent is audited, each time', () => {
  let { environment, api: app, dataSource, world } = {} as ParentsApi;

  beforeAll(async () => ({ environment, api: app, dataSource, world } = await startParentsApi()));
  afterAll(() => stopTestApi({ environment, api: app }));

  /** Audit events naming this parent, as target or in a list read's ids. */
  async function auditCount(parentId: string, action: string): Promise<number> {
    const [row] = await dataSource.query<{ count: string }[]>(
      `SELECT count(*) FROM audit_events
        WHERE action = $2 AND (target_id = $1 OR metadata -> 'parentIds' ? $1::text)`,
      [parentId, action],
    );
    return Number(row!.count);
  }

  const endpoints: {
    name: string;
    action: string;
    call: (parentId: string) => request.Test;
    namesParent: boolean;
  }[] = [
    {
      name: 'GET /api/parents (list, search by name)',
      action: 'parent.list',
      call: () => signedBy(app, world.token).get('/api/parents?q=Martin'),
      namesParent: true,
    },
    {
      name: 'GET /api/parents/:id (identity revealed on an alert, parent detail)',
      action: 'parent.read',
      call: (id) => signedBy(app, world.token).get(`/api/parents/${id}`),
      namesParent: true,
    },
    {
      name: 'PATCH /api/parents/:id',
      action: 'parent.update',
      call: (id) => signedBy(app, world.token).patch(`/api/parents/${id}`).send({ language: 'fr' }),
      namesParent: true,
    },
    {
      name: 'POST /api/parents/:id/withdraw (repeated)',
      action: 'parent.read',
      call: (id) => signedBy(app, world.token).post(`/api/parents/${id}/withdraw`).send({}),
      namesParent: true,
    },
    {
      name: 'GET /api/parents/:id/history',
      action: 'parent.read',
      call: (id) => signedBy(app, world.token).get(`/api/parents/${id}/history`),
      namesParent: false,
    },
  ];

  it.each(endpoints.map((endpoint) => [endpoint.name, endpoint] as const))(
    '%s: two calls, two audit events',
    async (_name, endpoint) => {
      const parent = await makeAlertParent(dataSource, environment.config, {
        organisationId: world.organisation.id,
        firstName: 'Inès',
        lastName: 'Martin',
      });
      const before = await auditCount(parent.id, endpoint.action);
      for (let call = 0; call < 2; call++) {
        const response = await endpoint.call(parent.id);
        expect(response.status).toBeLessThan(300);
        if (endpoint.namesParent) {
          const body = response.body as ParentDetail | ParentListResponse;
          const named = 'items' in body ? body.items.find((item) => item.id === parent.id) : body;
          expect(named?.lastName).toBe('Martin');
        }
      }
      expect((await auditCount(parent.id, endpoint.action)) - before).toBe(2);
    },
  );
});
