import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  getEpdsInstrument,
  type CreatedWebhookEndpoint,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from '@lien/shared';
import {
  makeAlert,
  makeAlertParent,
  makeInvitation,
  makeSmsMessage,
} from '../../testing/alerts-factories.js';
import { signedBy } from '../../testing/api-spec.js';
import { makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import { makeLinkedInvitation } from '../../testing/questionnaire-factories.js';
import { startApiAndWorker, stopApiAndWorker, type ApiAndWorker } from '../../testing/test-app.js';
import { waitFor } from '../../testing/wait-for.js';
import { fakeTwilioEnv } from '../../testing/worker-process.js';
import { AlertDeadlineService } from '../alerts/alert-deadline.service.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { SmsDeliveryService } from '../sms/sms-delivery.service.js';
import { SmsStatusService } from '../sms/sms-status.service.js';
import { startFakeTwilio, type FakeTwilio } from '../../testing/fake-twilio/fake-twilio-server.js';
import { SCREENING_MIN_SECONDS } from '../screening/screening.service.js';
import { isPrivateAddress } from './address-guard.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';
import type { UserEntity } from '../users/user.entity.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers for a path, one per request in order (the last one repeats); `hang` holds the request open. */
type Answer = number | 'hang' | { redirect: string };

/** A partner's endpoint: node:http on 127.0.0.1, recording every request. */
class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private readonly hanging: ServerResponse[] = [];
  private server!: Server;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const script = this.scripts.get(path) ?? [204];
        const answer = script.length > 1 ? script.shift()! : script[0]!;
        if (answer === 'hang') {
          this.hanging.push(res);
          return;
        }
        if (typeof answer === 'object') {
          res.writeHead(302, { location: answer.redirect }).end();
          return;
        }
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  script(path: string, answers: Answer[]): string {
    this.scripts.set(path, answers);
    return `${this.base}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((entry) => entry.path === path);
  }

  releaseHanging(): void {
    for (const res of this.hanging.splice(0)) res.writeHead(200).end();
  }

  async stop(): Promise<void> {
    this.releaseHanging();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The documented check (README "Integrating with Lien"), written out here rather than imported. */
function signatureValid(secret: string, received: Received): boolean {
  const id = String(received.headers['webhook-id']);
  const timestamp = String(received.headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${received.body}`).digest('base64');
  return String(received.headers['webhook-signature'])
    .split(' ')
    .some((part) => part === `v1,${expected}`);
}

/** Item 10 "sometimes", every other item 0: an urgent alert. */
function item10Answers(): number[] {
  return getEpdsInstrument('fr').items.map((item, index) =>
    item.options.findIndex((option) => option.points === (index === 9 ? 2 : 0)),
  );
}

describe('outbound webhooks (real Postgres, Redis, worker and a local receiver)', () => {
  let { environment, api: app, worker, dataSource } = {} as ApiAndWorker;
  let organisation: OrganisationEntity;
  let admin: UserEntity;
  let adminToken: string;
  let professionalToken: string;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    ({
      environment,
      api: app,
      worker,
      dataSource,
    } = await startApiAndWorker({
      WEBHOOK_RETRY_BASE_MS: '20',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_MAX_ATTEMPTS: '3',
    }));
    organisation = await makeOrganisation(dataSource);
    admin = await makeUser(dataSource, { organisationId: organisation.id, role: 'org_admin' });
    const professional = await makeUser(dataSource, { organisationId: organisation.id });
    adminToken = await signIn(dataSource, environment.config, admin);
    professionalToken = await signIn(dataSource, environment.config, professional);
  });
  afterAll(async () => {
    await stopApiAndWorker({ environment, api: app, worker });
    await receiver.stop();
  });

  const http = () => request(app.getHttpServer());
  const as = (token: string) => signedBy(app, token);
  /** Waits until `count` requests reached `path`. */
  const requestsAt = (path: string, count: number): Promise<Received[]> =>
    waitFor(`${count} requests at ${path}`, () =>
      receiver.at(path).length >= count ? receiver.at(path) : null,
    );
  async function register(url: string, eventTypes: string[]): Promise<CreatedWebhookEndpoint> {
    const response = await as(adminToken).post('/api/webhook-endpoints').send({ url, eventTypes });
    expect(response.status).toBe(201);
    return response.body as CreatedWebhookEndpoint;
  }
  async function deliveries(endpointId: string, status?: string): Promise<WebhookDeliveryView[]> {
    const response = await as(adminToken)
      .get(`/api/webhook-endpoints/${endpointId}/deliveries${status ? `?status=${status}` : ''}`)
      .expect(200);
    return response.body as WebhookDeliveryView[];
  }
  async function closeAlert(eventTypes: string[], url: string) {
    const endpoint = await register(url, eventTypes);
    const parent = await makeAlertParent(dataSource, environment.config, { organisationId: organisation.id });
    const alert = await makeAlert(dataSource, parent);
    const closed = await as(professionalToken)
      .post(`/api/alerts/${alert.id}/events`)
      .send({ type: 'close', outcome: 'false_alarm' });
    expect(closed.status).toBe(201);
    return { endpoint, alert };
  }

  it('registers HTTPS endpoints only (plain http to this machine outside production), the secret shown once', async () => {
    for (const url of [
      'http://partner.example/hook',
      'ftp://partner.example/hook',
      'not a url',
      'https://u:p@partner.example/',
    ]) {
      const response = await as(adminToken)
        .post('/api/webhook-endpoints')
        .send({ url, eventTypes: ['alert.created'] });
      expect([
        url,
        response.status,
        (response.body as { details?: Array<{ field: string }> }).details?.[0]?.field,
      ]).toEqual([url, 400, 'url']);
    }
    const bad = await as(adminToken)
      .post('/api/webhook-endpoints')
      .send({ url: 'https://partner.example/hook', eventTypes: ['parent.created'] });
    expect(bad.status).toBe(400);
    await as(professionalToken)
      .post('/api/webhook-endpoints')
      .send({ url: 'https://partner.example/hook', eventTypes: ['alert.created'] })
      .expect(403);

    const created = await register('https://partner.example/lien', [
      'alert.created',
      'contact_request.created',
    ]);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const list = await as(adminToken).get('/api/webhook-endpoints').expect(200);
    expect((list.body as WebhookEndpointView[]).map((endpoint) => endpoint.id)).toContain(created.id);
    expect(JSON.stringify(list.body)).not.toContain(created.secret.slice(6));
    const rows = await dataSource.query<unknown[]>(`SELECT * FROM webhook_endpoints WHERE id = $1`, [
      created.id,
    ]);
    expect(JSON.stringify(rows)).not.toContain(created.secret.slice(6));
    await as(adminToken).delete(`/api/webhook-endpoints/${created.id}`).expect(204);
  });

  it('delivers a response and its urgent alert signed (Standard Webhooks), with ids and codes only — no name, no phone', async () => {
    const endpoint = await register(receiver.script('/signed', [204]), [
      'response.received',
      'alert.created',
    ]);
    const parent = await makeAlertParent(dataSource, environment.config, {
      organisationId: organisation.id,
      firstName: 'Éloïse',
      lastName: 'Dupont-Léger',
      phone: '+33612345678',
    });
    const { tokens, invitation } = await makeLinkedInvitation(dataSource, organisation, { parent });
    await http()
      .post(`/api/public/questionnaires/${tokens[0]!}/responses`)
      .set('X-Forwarded-For', '198.51.100.20')
      .send({ answers: item10Answers() })
      .expect(201);

    const received = await requestsAt('/signed', 2);
    expect(received).toHaveLength(2);
    const bodies = received.map(
      (entry) => JSON.parse(entry.body) as { type: string; data: Record<string, unknown> },
    );
    const byType = Object.fromEntries(bodies.map((body) => [body.type, body]));
    const [response] = await dataSource.query<Array<{ id: string; alert_id: string }>>(
      `SELECT id, alert_id FROM responses WHERE invitation_id = $1`,
      [invitation.id],
    );
    expect(byType['response.received']!.data).toEqual({
      responseId: response!.id,
      parentId: parent.id,
      invitationId: invitation.id,
      band: 'low',
      flags: { item10Positive: true, anxiety: false },
    });
    expect(byType['alert.created']!.data).toMatchObject({
      alertId: response!.alert_id,
      parentId: parent.id,
      severity: 'urgent',
    });
    for (const entry of received) {
      expect(entry.headers['content-type']).toBe('application/json');
      expect(signatureValid(endpoint.secret, entry)).toBe(true);
      expect(signatureValid(endpoint.secret, { ...entry, body: `${entry.body} ` })).toBe(false);
      expect(signatureValid('whsec_' + Buffer.alloc(24, 1).toString('base64'), entry)).toBe(false);
      expect(entry.body).not.toMatch(/Éloïse|Dupont|612345678|\+336/);
    }
    const ids = received.map((entry) => String(entry.headers['webhook-id']));
    const rows = await deliveries(endpoint.id);
    expect(rows.map((row) => row.id).sort()).toEqual([...ids].sort());
    expect(rows.every((row) => row.status === 'delivered' && row.attempts === 1)).toBe(true);
  });

  it('never holds up the request that raised the event: it answers while the endpoint still hangs', async () => {
    const url = receiver.script('/slow', ['hang', 200]);
    const { endpoint } = await closeAlert(['alert.closed'], url);
    // The close request has answered, and no attempt has finished: it did not wait for the endpoint (which
    // holds every request until released, past the 2 s timeout a synchronous attempt would have recorded).
    const [pending] = await deliveries(endpoint.id);
    expect(pending).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
    await requestsAt('/slow', 1);
    receiver.releaseHanging();
    await waitFor(
      'a delivered delivery',
      async () => (await deliveries(endpoint.id, 'delivered')).length > 0,
    );
  });

  it('retries after two 500s with the same webhook-id: exactly one delivery id per event', async () => {
    const url = receiver.script('/flaky', [500, 500, 204]);
    const { endpoint, alert } = await closeAlert(['alert.closed'], url);
    const received = await requestsAt('/flaky', 3);
    await waitFor(
      'a delivered delivery',
      async () => (await deliveries(endpoint.id, 'delivered')).length > 0,
    );
    expect(receiver.at('/flaky')).toHaveLength(3);
    expect(new Set(received.map((entry) => entry.headers['webhook-id'])).size).toBe(1);
    for (const entry of received) expect(signatureValid(endpoint.secret, entry)).toBe(true);
    expect(JSON.parse(received[0]!.body)).toMatchObject({
      type: 'alert.closed',
      data: { alertId: alert.id, parentId: alert.parentId, outcome: 'false_alarm' },
    });
    const rows = await deliveries(endpoint.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: received[0]!.headers['webhook-id'],
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 204,
    });
  });

  it('raises alert.escalated when a deadline is missed and sms.failed when the provider reports a failure', async () => {
    const endpoint = await register(receiver.script('/ops', [204]), ['alert.escalated', 'sms.failed']);
    const parent = await makeAlertParent(dataSource, environment.config, { organisationId: organisation.id });
    const alert = await makeAlert(dataSource, parent, {
      severity: 'high',
      createdAt: new Date(environment.clock.now().getTime() - 3 * 86_400_000),
    });
    expect(await app.get(AlertDeadlineService, { strict: false }).check(alert.id)).toBe('escalated');

    const invitation = await makeInvitation(dataSource, parent);
    const sms = await makeSmsMessage(dataSource, invitation, { status: 'sent' });
    const providerSid = `SM${'0123456789abcdef'.repeat(2)}`;
    await dataSource.query(`UPDATE sms_messages SET provider_sid = $2 WHERE id = $1`, [sms.id, providerSid]);
    expect(
      await app
        .get(SmsStatusService, { strict: false })
        .apply({ smsMessageId: sms.id, providerSid, providerStatus: 'undelivered', errorCode: '30005' }),
    ).toBe('updated');

    const received = await requestsAt('/ops', 2);
    const bodies = received.map((entry) => JSON.parse(entry.body) as { type: string; data: unknown });
    expect(bodies.find((body) => body.type === 'alert.escalated')?.data).toEqual({
      alertId: alert.id,
      parentId: parent.id,
      severity: 'high',
      step: 'acknowledge',
    });
    expect(bodies.find((body) => body.type === 'sms.failed')?.data).toEqual({
      smsMessageId: sms.id,
      parentId: parent.id,
      kind: 'invitation',
      errorCode: '30005',
    });
    for (const entry of received) expect(signatureValid(endpoint.secret, entry)).toBe(true);
  });

  it('keeps each organisation to its own endpoints and deliveries (404 across organisations)', async () => {
    const endpoint = await register('https://partner.example/mine', ['alert.created']);
    const other = await makeOrganisation(dataSource, { name: 'Maternité de Metz', departement: '57' });
    const otherAdmin = await makeUser(dataSource, { organisationId: other.id, role: 'org_admin' });
    const otherToken = await signIn(dataSource, environment.config, otherAdmin);
    const list = await as(otherToken).get('/api/webhook-endpoints').expect(200);
    expect(list.body).toEqual([]);
    await as(otherToken).get(`/api/webhook-endpoints/${endpoint.id}/deliveries`).expect(404);
    await as(otherToken).delete(`/api/webhook-endpoints/${endpoint.id}`).expect(404);
    await as(otherToken).post(`/api/webhook-endpoints/${endpoint.id}/enable`).expect(404);
  });

  it('does not follow a redirect: retried, then dead-lettered and visible through the API', async () => {
    const target = receiver.script('/moved-here', [204]);
    const { endpoint } = await closeAlert(
      ['alert.closed'],
      receiver.script('/redirect', [{ redirect: target }]),
    );
    const dead = await waitFor('a dead delivery', async () => {
      const rows = await deliveries(endpoint.id, 'dead');
      return rows.length > 0 ? rows : null;
    });
    expect(dead[0]).toMatchObject({
      status: 'dead',
      attempts: 3,
      lastStatusCode: 302,
      lastError: 'redirect_not_followed_302',
    });
    expect(receiver.at('/redirect')).toHaveLength(3);
    expect(receiver.at('/moved-here')).toHaveLength(0);
    expect(await deliveries(endpoint.id, 'delivered')).toEqual([]);
  });

  it('disables an endpoint that has been failing for WEBHOOK_DISABLE_AFTER_HOURS and e-mails the organisation admins', async () => {
    const url = receiver.script('/down', [503]);
    const endpoint = await register(url, ['alert.closed']);
    const longAgo = new Date(environment.clock.now().getTime() - 73 * 3_600_000);
    await dataSource.query(`UPDATE webhook_endpoints SET failing_since = $2 WHERE id = $1`, [
      endpoint.id,
      longAgo,
    ]);
    const parent = await makeAlertParent(dataSource, environment.config, { organisationId: organisation.id });
    const alert = await makeAlert(dataSource, parent);
    await as(professionalToken)
      .post(`/api/alerts/${alert.id}/events`)
      .send({ type: 'close', outcome: 'false_alarm' })
      .expect(201);
    const disabled = await waitFor('the endpoint disabled', async () => {
      const list = await as(adminToken).get('/api/webhook-endpoints');
      const found = (list.body as WebhookEndpointView[]).find((candidate) => candidate.id === endpoint.id);
      return found && !found.enabled ? found : null;
    });
    expect(disabled.disabledAt).not.toBeNull();
    const mails = await dataSource.query<Array<{ to_address: string; body: string }>>(
      `SELECT to_address, body FROM email_messages WHERE organisation_id = $1 AND subject LIKE '%webhook%'`,
      [organisation.id],
    );
    expect(mails.map((mail) => mail.to_address)).toEqual([admin.email]);
    expect(mails[0]!.body).toContain(endpoint.id);
    // A disabled endpoint gets no new deliveries.
    const before = receiver.at('/down').length;
    await closeAlert(['sms.failed'], receiver.script('/other', [204]));
    await waitFor('a dead delivery', async () => (await deliveries(endpoint.id, 'dead')).length > 0);
    expect(receiver.at('/down').length).toBe(before);
    const count = await dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`,
      [endpoint.id],
    );
    expect(count[0]!.n).toBe(1);
  });

  it('delivers contact_request.created from the public self-screening: ids, band and item-10 flag, never a name, phone or e-mail', async () => {
    // An organisation of its own serving the postal code, so the request is routed to it.
    const bethune = await makeOrganisation(dataSource, {
      name: 'Maternité de Béthune',
      settings: { servedPostalCodes: ['62400'] },
    });
    const bethuneAdmin = await makeUser(dataSource, { organisationId: bethune.id, role: 'org_admin' });
    const registered = await http()
      .post('/api/webhook-endpoints')
      .set('Authorization', `Bearer ${await signIn(dataSource, environment.config, bethuneAdmin)}`)
      .send({ url: receiver.script('/contact', [204]), eventTypes: ['contact_request.created'] });
    expect(registered.status).toBe(201);
    const endpoint = registered.body as CreatedWebhookEndpoint;

    // The anonymous self-screening (item 10 positive), then the "be contacted" request from its result page.
    const ip = '2001:db8:c0de:1::1';
    const page = await http().get('/depistage').set('X-Forwarded-For', ip).expect(200);
    environment.clock.advance((SCREENING_MIN_SECONDS + 40) * 1000);
    const stampOf = (html: string): string => /name="ts" value="([^"]+)"/.exec(html)![1]!;
    const answers = Object.fromEntries(
      item10Answers().map((option, index) => [`q${index + 1}`, String(option)]),
    );
    const result = await http()
      .post('/depistage')
      .set('X-Forwarded-For', ip)
      .type('form')
      .send({ lang: 'fr', ts: stampOf(page.text), role: 'mother', age: '3', cp: '62400', ...answers })
      .expect(200);
    environment.clock.advance(20_000);
    const created = await http()
      .post('/api/public/contact-requests')
      .set('X-Forwarded-For', ip)
      .send({
        formStamp: stampOf(result.text),
        firstName: 'Éloïse',
        phone: '06 12 34 56 78',
        email: 'eloise.dupont@example.org',
        channel: 'call',
        postalCode: '62400',
        consent: { given: true },
      })
      .expect(201);
    const contactRequestId = (created.body as { id: string }).id;

    const [received] = await requestsAt('/contact', 1);
    expect(signatureValid(endpoint.secret, received!)).toBe(true);
    const [alert] = await dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM alerts WHERE contact_request_id = $1`,
      [contactRequestId],
    );
    const body = JSON.parse(received!.body) as { type: string; data: unknown };
    expect(body.type).toBe('contact_request.created');
    expect(body.data).toEqual({
      contactRequestId,
      alertId: alert!.id,
      parentId: null,
      band: 'low',
      item10Positive: true,
    });
    // Neither in the request sent nor in the stored delivery.
    const stored = await dataSource.query<unknown[]>(
      `SELECT payload FROM webhook_deliveries WHERE endpoint_id = $1`,
      [endpoint.id],
    );
    for (const text of [received!.body, JSON.stringify(stored)])
      expect(text).not.toMatch(/Éloïse|eloise|Dupont|example\.org|612345678|12 34 56|\+336/i);
    await waitFor('the delivery delivered', async () => {
      const [row] = await dataSource.query<Array<{ status: string }>>(
        `SELECT status FROM webhook_deliveries WHERE endpoint_id = $1`,
        [endpoint.id],
      );
      return row?.status === 'delivered';
    });
  });
});

describe('outbound webhooks where private networks are refused (as in production)', () => {
  let { environment, api: app, worker, dataSource } = {} as ApiAndWorker;
  let fake: FakeTwilio;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    fake = await startFakeTwilio({ autoCallbacks: false });
    ({
      environment,
      api: app,
      worker,
      dataSource,
    } = await startApiAndWorker({
      ...fakeTwilioEnv(fake),
      WEBHOOK_RETRY_BASE_MS: '20',
      WEBHOOK_MAX_ATTEMPTS: '2',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false',
    }));
  });
  afterAll(async () => {
    await stopApiAndWorker({ environment, api: app, worker });
    await receiver.stop();
    await fake.close();
  });

  it('knows the private, loopback, link-local and metadata ranges', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ])
      expect([ip, isPrivateAddress(ip)]).toEqual([ip, true]);
    for (const ip of ['203.0.113.9', '2001:db8::1', '8.8.8.8'])
      expect([ip, isPrivateAddress(ip)]).toEqual([ip, false]);
  });

  it('never calls an endpoint that resolves to this host, dead-letters its delivery, and purges settled deliveries after 30 days', async () => {
    const organisation = await makeOrganisation(dataSource);
    const admin = await makeUser(dataSource, { organisationId: organisation.id, role: 'org_admin' });
    const professional = await makeUser(dataSource, { organisationId: organisation.id });
    const adminToken = await signIn(dataSource, environment.config, admin);
    const endpoint = (
      await request(app.getHttpServer())
        .post('/api/webhook-endpoints')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ url: receiver.script('/internal', [204]), eventTypes: ['alert.closed'] })
        .expect(201)
    ).body as CreatedWebhookEndpoint;
    const parent = await makeAlertParent(dataSource, environment.config, { organisationId: organisation.id });
    const alert = await makeAlert(dataSource, parent);
    await request(app.getHttpServer())
      .post(`/api/alerts/${alert.id}/events`)
      .set('Authorization', `Bearer ${await signIn(dataSource, environment.config, professional)}`)
      .send({ type: 'close', outcome: 'false_alarm' })
      .expect(201);
    const dead = await waitFor('a dead delivery', async () => {
      const rows = await dataSource.query<Array<{ status: string; last_error: string }>>(
        `SELECT status, last_error FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'dead'`,
        [endpoint.id],
      );
      return rows.length > 0 ? rows : null;
    });
    expect(dead[0]).toEqual({ status: 'dead', last_error: 'private_address' });
    expect(receiver.at('/internal')).toHaveLength(0);

    const delivery = worker.get(WebhookDeliveryService, { strict: false });
    expect((await delivery.reconcile()).purged).toBe(0);
    environment.clock.advance(31 * 86_400_000);
    try {
      expect((await delivery.reconcile()).purged).toBe(1);
    } finally {
      environment.clock.advance(-31 * 86_400_000);
    }
  });

  it('raises sms.failed in the outbox when the provider refuses a send for good', async () => {
    const organisation = await makeOrganisation(dataSource);
    const admin = await makeUser(dataSource, { organisationId: organisation.id, role: 'org_admin' });
    const professional = await makeUser(dataSource, { organisationId: organisation.id });
    const http = () => request(app.getHttpServer());
    const endpoint = (
      await http()
        .post('/api/webhook-endpoints')
        .set('Authorization', `Bearer ${await signIn(dataSource, environment.config, admin)}`)
        .send({ url: 'https://partner.example/sms', eventTypes: ['sms.failed'] })
        .expect(201)
    ).body as CreatedWebhookEndpoint;
    const parent = (
      await http()
        .post('/api/parents')
        .set('Authorization', `Bearer ${await signIn(dataSource, environment.config, professional)}`)
        .send({
          firstName: 'Léa',
          lastName: 'Petit',
          phone: '+33756119999',
          role: 'mother',
          language: 'fr',
          birthDate: '2026-02-26',
          consent: { given: true, textVersion: 'v1' },
        })
        .expect(201)
    ).body as { id: string; invitations: Array<{ sms: Array<{ id: string }> }> };
    const smsId = parent.invitations[0]!.sms[0]!.id;
    fake.rejectTo('+33756119999', 21614);
    environment.clock.set(new Date('2026-03-05T09:00:00Z'));
    try {
      expect(await worker.get(SmsDeliveryService, { strict: false }).process(smsId)).toEqual({
        kind: 'done',
        status: 'failed',
      });
    } finally {
      environment.clock.set(new Date('2026-03-02T08:00:00Z'));
    }
    const rows = await dataSource.query<Array<{ event_type: string; payload: { data: unknown } }>>(
      `SELECT event_type, payload FROM webhook_deliveries WHERE endpoint_id = $1`,
      [endpoint.id],
    );
    expect(rows).toEqual([
      {
        event_type: 'sms.failed',
        payload: expect.objectContaining({
          data: { smsMessageId: smsId, parentId: parent.id, kind: 'invitation', errorCode: '21614' },
        }) as unknown,
      },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/Léa|Petit|756119999/);
  });
});
