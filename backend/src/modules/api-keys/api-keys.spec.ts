import type { ApiKeyView, CreatedApiKey, ParentDetail } from '@lien/shared';
import { jobId } from '../../queue/jobs.js';
import { queue } from '../../testing/test-app.js';
import { enrolmentBody } from '../../testing/parents-factories.js';
import {
  detailFields,
  signedBy,
  startTwoOrganisationsApi,
  stopTestApi,
  type TwoOrganisationsApi,
} from '../../testing/api-spec.js';

jest.setTimeout(30_000);

// The test clock: Monday 2 March 2026, 09:00 in Paris.
const BIRTH = '2026-02-26';
let phoneCounter = 0;
const nextPhone = (): string => `07 61 ${String(10 + (phoneCounter += 1)).padStart(2, '0')} 34 56`;

const enrolment = (overrides: Record<string, unknown> = {}) =>
  enrolmentBody('Maëlle', 'Partenaire', nextPhone(), { birthDate: BIRTH, ...overrides });

describe('partner API keys (real Postgres and Redis)', () => {
  let { environment, api, dataSource, organisation, admin, adminToken, token, outsiderAdminToken } =
    {} as TwoOrganisationsApi;

  beforeAll(
    async () =>
      ({ environment, api, dataSource, organisation, admin, adminToken, token, outsiderAdminToken } =
        await startTwoOrganisationsApi()),
  );
  afterAll(() => stopTestApi({ environment, api }));

  const as = (bearer: string) => signedBy(api, bearer);
  /** POST /api/api-keys with `body` (named "Logiciel maternité" unless told), as `bearer`. */
  const postKey = (body: Record<string, unknown>, bearer = adminToken) =>
    as(bearer)
      .post('/api/api-keys')
      .send({ name: 'Logiciel maternité', ...body });
  async function createKey(body: Record<string, unknown>, bearer = adminToken): Promise<CreatedApiKey> {
    const response = await postKey(body, bearer);
    expect(response.status).toBe(201);
    return response.body as CreatedApiKey;
  }

  it('shows the key once, prefixed, and stores only its SHA-256 hash; lists show the prefix', async () => {
    const created = await createKey({ scopes: ['parents:enrol'] });
    expect(created.key).toMatch(/^lien_test_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect(created.ownerUserId).toBe(admin.id);
    const rows = await dataSource.query<Array<Record<string, unknown>>>(
      `SELECT * FROM api_keys WHERE id = $1`,
      [created.id],
    );
    expect(JSON.stringify(rows)).not.toContain(created.key);
    const { createHash } = await import('node:crypto');
    expect(rows[0]!.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));
    const list = await as(adminToken).get('/api/api-keys').expect(200);
    const listed = (list.body as ApiKeyView[]).find((key) => key.id === created.id);
    expect(listed).toMatchObject({ prefix: created.prefix, scopes: ['parents:enrol'] });
    expect(JSON.stringify(list.body)).not.toContain(created.key);
  });

  it('lets only organisation admins manage keys, and names bad fields', async () => {
    await postKey({ name: 'x', scopes: ['parents:read'] }, token).expect(403);
    const outOfRange = { name: 'x', allowedCidrs: ['10.0.0.0/33'], expiresAt: '2020-01-01T00:00:00Z' };
    const bad = await postKey({ ...outOfRange, scopes: ['everything'] });
    expect(bad.status).toBe(400);
    const again = await postKey({ ...outOfRange, scopes: ['parents:read'] });
    expect(again.status).toBe(400);
    expect(detailFields(again.body).sort()).toEqual(['allowedCidrs', 'expiresAt']);
  });

  it('enrols a parent end to end by key: same validation and duplicate check, consent recorded by the key’s owner, SMS planned, every use audited with the key id', async () => {
    const { id: keyId, key } = await createKey({ scopes: ['parents:enrol', 'parents:read'] });
    const body = enrolment();
    const response = await as(key).post('/api/parents').send(body);
    expect(response.status).toBe(201);
    const parent = response.body as ParentDetail;
    expect(parent.consent).toMatchObject({ recordedBy: admin.id, textVersion: '2026-01' });
    expect(parent.invitations.map((invitation) => invitation.wave)).toEqual(['day7', 'day42']);
    const sms = await dataSource.query<Array<{ id: string; status: string }>>(
      `SELECT id, status FROM sms_messages WHERE parent_id = $1 ORDER BY due_at`,
      [parent.id],
    );
    expect(sms.map((row) => row.status)).toEqual(['pending', 'pending']);
    expect(await (await queue(api, 'sms').getJob(jobId.sms(sms[0]!.id)))?.getState()).toBe('delayed');

    // The same validation (400 naming the field) and the same duplicate detection (409) as the console.
    const invalid = await as(key)
      .post('/api/parents')
      .send(enrolment({ phone: '01 23 45 67 89' }));
    expect(invalid.status).toBe(400);
    expect((invalid.body as { details: Array<{ field: string }> }).details.map((d) => d.field)).toEqual([
      'phone',
    ]);
    const duplicate = await as(key).post('/api/parents').send(body);
    expect(duplicate.status).toBe(409);

    await as(key).get(`/api/parents/${parent.id}`).expect(200);
    const audit = await dataSource.query<
      Array<{ action: string; actor_id: string; organisation_id: string }>
    >(
      `SELECT action, actor_id, organisation_id FROM audit_events
        WHERE (target_id = $1 AND action IN ('parent.enrol', 'parent.read')) OR (action = 'api_key.request' AND actor_id = $2)
        ORDER BY id`,
      [parent.id, keyId],
    );
    expect(audit.filter((row) => row.action === 'parent.enrol').map((row) => row.actor_id)).toEqual([keyId]);
    expect(audit.filter((row) => row.action === 'parent.read').map((row) => row.actor_id)).toEqual([keyId]);
    // Four requests by the key (enrol, invalid, duplicate, read): four audited uses.
    expect(audit.filter((row) => row.action === 'api_key.request')).toHaveLength(4);
    expect(new Set(audit.map((row) => row.organisation_id))).toEqual(new Set([organisation.id]));
  });

  it('acts for its organisation only: another organisation’s parent is 404', async () => {
    const { key } = await createKey({ scopes: ['parents:enrol', 'parents:read'] });
    const { key: otherKey } = await createKey({ scopes: ['parents:read'] }, outsiderAdminToken);
    const parent = (await as(key).post('/api/parents').send(enrolment()).expect(201)).body as ParentDetail;
    await as(otherKey).get(`/api/parents/${parent.id}`).expect(404);
  });

  it('refuses (403) a route outside the key’s scopes and every route that does not opt in for keys', async () => {
    const { key } = await createKey({ scopes: ['parents:read'] });
    const refused = await as(key).post('/api/parents').send(enrolment());
    expect([refused.status, (refused.body as { code?: string }).code]).toEqual([403, 'api_key_scope']);
    const { key: everything } = await createKey({
      scopes: ['parents:enrol', 'parents:read', 'alerts:read', 'fhir:read'],
    });
    for (const path of ['/api/users', '/api/api-keys', '/api/audit']) {
      const response = await as(everything).get(path);
      expect([path, response.status]).toEqual([path, 403]);
    }
    await as(key).get('/api/parents').expect(200);
    await as(everything).get('/api/alerts').expect(200);
  });

  it('reads FHIR with fhir:read, but a Patient (named data) only with parents:read', async () => {
    const { key: enrol } = await createKey({ scopes: ['parents:enrol'] });
    const parent = (await as(enrol).post('/api/parents').send(enrolment()).expect(201)).body as ParentDetail;
    const { key: fhir } = await createKey({ scopes: ['fhir:read'] });
    const bundle = await as(fhir).get(`/fhir/Observation?patient=${parent.id}`).expect(200);
    expect(bundle.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    const patient = await as(fhir).get(`/fhir/Patient/${parent.id}`);
    expect(patient.status).toBe(403);
    expect(patient.body).toMatchObject({ resourceType: 'OperationOutcome' });
    const { key: named } = await createKey({ scopes: ['parents:read'] });
    await as(named).get(`/fhir/Patient/${parent.id}`).expect(200);
  });

  it('answers 401 at once for a revoked, an expired or an unknown key', async () => {
    const { id, key } = await createKey({ scopes: ['parents:read'] });
    await as(key).get('/api/parents').expect(200);
    await as(adminToken).delete(`/api/api-keys/${id}`).expect(200);
    const revoked = await as(key).get('/api/parents');
    expect([revoked.status, (revoked.body as { code?: string }).code]).toEqual([401, 'invalid_api_key']);
    await as(outsiderAdminToken).delete(`/api/api-keys/${id}`).expect(404);

    const expiring = await createKey({ scopes: ['parents:read'], expiresAt: '2026-03-02T09:00:00Z' });
    await as(expiring.key).get('/api/parents').expect(200);
    environment.clock.advance(3_600_000);
    try {
      await as(expiring.key).get('/api/parents').expect(401);
    } finally {
      environment.clock.advance(-3_600_000);
    }

    const forged = `${expiring.key.slice(0, -4)}AAAA`;
    await as(forged).get('/api/parents').expect(401);
    await as('lien_test_short').get('/api/parents').expect(401);
    await as(`lien_live_${expiring.key.slice('lien_test_'.length)}`)
      .get('/api/parents')
      .expect(401);
  });

  it('answers 403 outside the key’s IP allow-list', async () => {
    const { key } = await createKey({
      scopes: ['parents:read'],
      allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'],
    });
    // The test client is on loopback, a trusted proxy: X-Forwarded-For sets the client address.
    const outside = await as(key).get('/api/parents').set('X-Forwarded-For', '198.51.100.7');
    expect([outside.status, (outside.body as { code?: string }).code]).toEqual([403, 'api_key_address']);
    await as(key).get('/api/parents').expect(403);
    await as(key).get('/api/parents').set('X-Forwarded-For', '203.0.113.9').expect(200);
    await as(key).get('/api/parents').set('X-Forwarded-For', '2001:db8:1::5').expect(200);
  });

  it('answers 429 with Retry-After above the key’s rate, without touching another key', async () => {
    const { key } = await createKey({ scopes: ['parents:read'], rateLimitPerMinute: 2 });
    const { key: neighbour } = await createKey({ scopes: ['parents:read'], rateLimitPerMinute: 2 });
    await as(key).get('/api/parents').expect(200);
    await as(key).get('/api/parents').expect(200);
    const limited = await as(key).get('/api/parents');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await as(neighbour).get('/api/parents').expect(200);
  });
});
