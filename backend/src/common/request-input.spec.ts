import request from 'supertest';
import { makeUser } from '../testing/factories.js';
import { startIdentityApi, stopTestApi, type IdentityApi } from '../testing/api-spec.js';
import { makeParent } from '../testing/parents-factories.js';
import { OrganisationEntity } from '../modules/organisations/organisation.entity.js';
import { inboundKeyword } from '../modules/webhooks/inbound-keywords.js';
import { inspectBody, MAX_BODY_DEPTH } from './request-limits.js';
import { isEmailAddress } from './validation.js';

/** The house error shape, with no stack trace anywhere in it. */
function expectHouseError(body: unknown, status: number, code?: string): void {
  expect(body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
  if (code) expect(body).toMatchObject({ code });
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(js|ts):\d+|\bstack\b/);
}

function fieldsOf(body: unknown): string[] {
  return ((body as { details?: { field: string }[] }).details ?? []).map((detail) => detail.field);
}

/** Quadratic for the former e-mail regex (about 10 s at 90 kB); one pass for the linear check. */
const HOSTILE_EMAIL = 'a@' + '.'.repeat(90_000) + '@';

describe('isEmailAddress', () => {
  it('accepts addresses and refuses the rest, length first', () => {
    for (const address of ['sage-femme@pmi62.fr', 'a.b+c@sub.example.org', 'x@y.z'])
      expect(isEmailAddress(address)).toBe(true);
    for (const value of [
      'no-at.example.org',
      '@example.org',
      'a@b',
      'a@.b',
      'a@b.',
      'a b@c.fr',
      'a@b@c.fr',
      `${'a'.repeat(250)}@b.fr`,
      HOSTILE_EMAIL,
      42,
      null,
    ])
      expect(isEmailAddress(value)).toBe(false);
  });
});

describe('inbound SMS keywords in linear time', () => {
  // The former `/[\s.!?]+$/` took about 30 s on this text; Jest's timeout is the sanity bound.
  it('reads a long text of trailing punctuation in one pass', () => {
    expect(inboundKeyword('STOP' + ' !'.repeat(50_000) + 'x')).toBeNull();
    expect(inboundKeyword('STOP' + ' !'.repeat(50_000))).toBe('opt_out');
  }, 5_000);
});

describe('inspectBody', () => {
  it('measures nesting without recursion and finds prototype keys at any depth', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(inspectBody(deep, MAX_BODY_DEPTH)).toEqual({ kind: 'too_deep' });
    expect(inspectBody({ a: { b: { c: [1, 2, { d: 'x' }] } } }, MAX_BODY_DEPTH)).toBeNull();
    expect(inspectBody('text', 0)).toBeNull();
    expect(inspectBody(JSON.parse('{"a":[{"__proto__":{}}]}'), MAX_BODY_DEPTH)).toEqual({
      kind: 'forbidden_key',
      field: 'a[0].__proto__',
    });
    expect(inspectBody({ b: { constructor: 1 } }, MAX_BODY_DEPTH)).toEqual({
      kind: 'forbidden_key',
      field: 'b.constructor',
    });
  });
});

describe('Request bodies and queries (real HTTP stack)', () => {
  let { environment, api: app, dataSource, world } = {} as IdentityApi;
  const http = (): ReturnType<typeof request> => request(app.getHttpServer());
  /** A sign-in request whose raw `body` is sent as JSON. */
  const postLoginJson = (body: string) =>
    http().post('/api/auth/login').set('Content-Type', 'application/json').send(body);

  beforeAll(async () => ({ environment, api: app, dataSource, world } = await startIdentityApi()));
  afterAll(() => stopTestApi({ environment, api: app }));

  it('answers a 5,000-deep JSON body 400 body_too_deep, at the top or inside a field', async () => {
    const array = '['.repeat(5000) + ']'.repeat(5000);
    const object = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    for (const body of [array, object, `{"email":${array},"password":"x"}`, `{"email":${object}}`]) {
      const response = await postLoginJson(body).expect(400);
      expectHouseError(response.body, 400, 'body_too_deep');
      expect(response.body.details).toEqual([{ field: 'body', message: expect.stringContaining('deeper') }]);
    }
    // Signed in, on a route that takes any object (the settings patch).
    const settings = await http()
      .patch(`/api/organisations/${world.orgA.id}/settings`)
      .set('Authorization', `Bearer ${world.orgAdminA.token}`)
      .set('Content-Type', 'application/json')
      .send(`{"smsTemplates":${object}}`)
      .expect(400);
    expectHouseError(settings.body, 400, 'body_too_deep');
  });

  it('still accepts ordinary nesting', async () => {
    const response = await http()
      .patch(`/api/organisations/${world.orgA.id}/settings`)
      .set('Authorization', `Bearer ${world.orgAdminA.token}`)
      .send({ quietHours: { start: '21:00', end: '23:00', noSundays: true, noPublicHolidays: true } })
      .expect(200);
    expect(response.body).toMatchObject({ quietHours: { start: '21:00' } });
  });

  it('answers an oversized body 413, malformed JSON 400 and other media types 415, each named', async () => {
    const oversized = JSON.stringify({ email: 'a'.repeat(200_000), password: 'x' });
    const large = await postLoginJson(oversized).expect(413);
    expectHouseError(large.body, 413, 'body_too_large');
    expect(large.body.details).toEqual([{ field: 'body', message: 'is too large' }]);

    const largeForm = await http()
      .post('/api/webhooks/twilio/inbound')
      .type('form')
      .send(`Body=${'x'.repeat(60_000)}`)
      .expect(413);
    expectHouseError(largeForm.body, 413, 'body_too_large');

    const malformed = await postLoginJson('{"email": "a@b.fr",').expect(400);
    expectHouseError(malformed.body, 400, 'body_malformed');
    expect(malformed.body.details).toEqual([{ field: 'body', message: 'is not valid JSON' }]);

    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const response = await http()
        .post('/api/auth/login')
        .set('Content-Type', type)
        .send('<email>a@b.fr</email>')
        .expect(415);
      expectHouseError(response.body, 415, 'body_unsupported_type');
    }
  });

  it('answers repeated and bracketed query keys 400 naming the key, never a 500', async () => {
    const auth = { Authorization: `Bearer ${world.platformAdmin.token}` };
    const repeated = await http().get('/api/users?page=1&page=2').set(auth).expect(400);
    expectHouseError(repeated.body, 400, 'query_repeated');
    expect(repeated.body.details).toEqual([{ field: 'page', message: 'must be given once' }]);

    const outbox = await http().get('/api/dev/outbox/email?limit=1&limit=2').set(auth).expect(400);
    expectHouseError(outbox.body, 400, 'query_repeated');

    // The simple parser keeps `a[b][c]` as a flat key: an unknown field, named.
    const nested = await http().get('/api/users?search[a][b]=x').set(auth).expect(400);
    expectHouseError(nested.body, 400, 'invalid_input');
    expect(nested.body.details).toEqual([{ field: 'search[a][b]', message: expect.any(String) }]);

    const alerts = await http()
      .get('/api/alerts?status[$ne]=closed')
      .set({ Authorization: `Bearer ${world.professionalA.token}` })
      .expect(400);
    expectHouseError(alerts.body, 400);
  });

  it('answers NUL characters 400 naming the field (PostgreSQL text cannot hold them: it was a 500)', async () => {
    const body = await http()
      .post('/api/auth/login')
      .send({ email: 'a\u0000@b.fr', password: 'x' })
      .expect(400);
    expectHouseError(body.body, 400, 'body_invalid_character');
    expect(fieldsOf(body.body)).toEqual(['email']);
    const query = await http()
      .get('/api/users?search=%00')
      .set('Authorization', `Bearer ${world.orgAdminA.token}`)
      .expect(400);
    expectHouseError(query.body, 400, 'query_invalid_character');
    expect(fieldsOf(query.body)).toEqual(['search']);
  });

  it('answers null for a field that may only be left out 400 naming it (it reached NOT NULL columns: 500)', async () => {
    const parent = await makeParent(dataSource, environment.config, world.orgA);
    const victim = await makeUser(dataSource, { role: 'professional', organisationId: world.orgA.id });
    const calls: [string, string, string][] = [
      [`/api/parents/${parent.id}`, world.professionalA.token, 'language'],
      [`/api/parents/${parent.id}`, world.professionalA.token, 'phone'],
      [`/api/parents/${parent.id}`, world.professionalA.token, 'firstName'],
      [`/api/users/${victim.id}`, world.orgAdminA.token, 'displayName'],
      [`/api/users/${victim.id}`, world.orgAdminA.token, 'active'],
      [`/api/users/${victim.id}`, world.orgAdminA.token, 'territory'],
      [`/api/organisations/${world.orgA.id}`, world.platformAdmin.token, 'timeZone'],
      [`/api/organisations/${world.orgA.id}`, world.platformAdmin.token, 'name'],
    ];
    for (const [path, token, field] of calls) {
      const response = await http()
        .patch(path)
        .set('Authorization', `Bearer ${token}`)
        .send({ [field]: null });
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
      expectHouseError(response.body, 400, 'invalid_input');
      expect(fieldsOf(response.body)).toContain(field);
    }
    // Where null means "remove", it still does.
    await http()
      .patch(`/api/users/${victim.id}`)
      .set('Authorization', `Bearer ${world.orgAdminA.token}`)
      .send({ rpps: null })
      .expect(200);
  });

  describe('a 90 kB e-mail field is answered 400 naming the field, in linear time', () => {
    // Jest's per-test timeout is the sanity bound: the former check took seconds per request.
    it('in the organisation settings (onCallEmail)', async () => {
      const response = await http()
        .patch(`/api/organisations/${world.orgA.id}/settings`)
        .set('Authorization', `Bearer ${world.orgAdminA.token}`)
        .send({ onCallEmail: HOSTILE_EMAIL })
        .expect(400);
      expectHouseError(response.body, 400, 'invalid_input');
      expect(response.body.details).toContainEqual({
        field: 'onCallEmail',
        message: 'must be an email address or null',
      });
    }, 5_000);

    it('in an invitation, a password reset and a login (email)', async () => {
      const invite = await http()
        .post('/api/users')
        .set('Authorization', `Bearer ${world.orgAdminA.token}`)
        .send({ email: HOSTILE_EMAIL, displayName: 'X', role: 'professional' })
        .expect(400);
      expectHouseError(invite.body, 400, 'invalid_input');
      expect(fieldsOf(invite.body)).toEqual(['email']);
      for (const path of ['/api/users/password-reset/request', '/api/auth/login']) {
        const response = await http().post(path).send({ email: HOSTILE_EMAIL, password: 'x' });
        // The login throttle may answer first; never a 5xx.
        expect([400, 429]).toContain(response.status);
        if (response.status === 400) expect(fieldsOf(response.body)).toContain('email');
      }
    }, 5_000);
  });

  describe('prototype-pollution keys are harmless', () => {
    const polluted = (): unknown => (Object.prototype as Record<string, unknown>).polluted;

    it('in a DTO body: refused by name, validation never skipped, nothing reaches Object.prototype', async () => {
      // `__proto__` used to replace the DTO's prototype: its validation was skipped (wrong types reached the
      // service).
      for (const [body, field] of [
        ['{"email":"a@b.fr","password":"x","__proto__":{"polluted":true}}', '__proto__'],
        ['{"__proto__":{},"email":5,"password":["x"]}', '__proto__'],
        ['{"email":"a@b.fr","password":"x","constructor":{"prototype":{"polluted":true}}}', 'constructor'],
      ] as const) {
        const response = await postLoginJson(body).expect(400);
        expectHouseError(response.body, 400, 'body_forbidden_key');
        expect(response.body.details).toEqual([{ field, message: 'is not an accepted field' }]);
        expect(polluted()).toBeUndefined();
      }
      const query = await http().get('/api/health?__proto__=x').expect(400);
      expectHouseError(query.body, 400, 'query_forbidden_key');
      const nested = await http()
        .post('/api/users')
        .set('Authorization', `Bearer ${world.orgAdminA.token}`)
        .set('Content-Type', 'application/json')
        .send(
          '{"email":"p@b.fr","displayName":"P","role":"coordinator","territory":{"__proto__":{"polluted":true}}}',
        )
        .expect(400);
      expect(nested.body.details).toEqual([{ field: 'territory.__proto__', message: expect.any(String) }]);
      expect(polluted()).toBeUndefined();
    });

    it('in the settings patch: refused, stored settings and Object.prototype untouched', async () => {
      const before = await dataSource
        .getRepository(OrganisationEntity)
        .findOneByOrFail({ id: world.orgA.id });
      for (const body of [
        '{"__proto__":{"polluted":true,"requireMfa":true}}',
        '{"constructor":{"prototype":{"polluted":true}}}',
        '{"quietHours":{"__proto__":{"polluted":true}}}',
        '{"smsTemplates":{"__proto__":{"invitation":"x","reminder":"y"}}}',
      ]) {
        const response = await http()
          .patch(`/api/organisations/${world.orgA.id}/settings`)
          .set('Authorization', `Bearer ${world.orgAdminA.token}`)
          .set('Content-Type', 'application/json')
          .send(body)
          .expect(400);
        expectHouseError(response.body, 400);
        expect(polluted()).toBeUndefined();
      }
      const after = await dataSource.getRepository(OrganisationEntity).findOneByOrFail({ id: world.orgA.id });
      expect(after.settings).toEqual(before.settings);
      expect(({} as Record<string, unknown>).requireMfa).toBeUndefined();
    });

    it('in a form body: the key stays a plain string key', async () => {
      const response = await http()
        .post('/api/auth/login')
        .type('form')
        .send('email=a%40b.fr&password=x&__proto__[polluted]=1&constructor[prototype][polluted]=1');
      expect(response.status).toBe(400);
      expectHouseError(response.body, 400);
      expect(polluted()).toBeUndefined();
    });
  });
});
