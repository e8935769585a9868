import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { Redis } from 'ioredis';
import request from 'supertest';
import type { AlertStreamMessage } from '@lien/shared';
import { createTestApi } from '../../testing/test-app.js';
import { hashToken } from '../../common/crypto/field-encryption.service.js';
import { REDIS } from '../../queue/queue.module.js';
import { makeUser, signIn, signInNewUser } from '../../testing/factories.js';
import { signedBy, stopTestApi } from '../../testing/api-spec.js';
import { startParentsApi, type ParentsApi } from '../../testing/parents-api.js';
import { answersForPoints, pointsFor } from '../../testing/alerts-factories.js';
import { answerAsParent } from '../../testing/alerts-spec.js';
import { SessionsService } from '../auth/sessions.service.js';
import type { UserEntity } from '../users/user.entity.js';
import { AlertFeedService } from './alert-feed.service.js';
import { STREAM_TICKET_TTL_SECONDS } from './stream-tickets.service.js';

interface SseClient {
  status: number;
  contentType: string;
  messages: { event: string; data: AlertStreamMessage }[];
  ended: boolean;
  comments: string[];
  waitFor: (predicate: () => boolean, timeoutMs?: number) => Promise<void>;
  close: () => void;
}

/** A minimal EventSource over node:http: parses `event:`/`data:` blocks and `:` comments. */
function openStream(app: INestApplication, path: string): Promise<SseClient> {
  const { port } = (app.getHttpServer() as http.Server).address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, headers: { Accept: 'text/event-stream' } },
      (res) => {
        const client: SseClient = {
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          messages: [],
          ended: false,
          comments: [],
          waitFor: async (predicate, timeoutMs = 10_000) => {
            const deadline = Date.now() + timeoutMs;
            while (!predicate()) {
              if (Date.now() > deadline) throw new Error('stream: condition not met in time');
              await new Promise((r) => setTimeout(r, 25));
            }
          },
          close: () => req.destroy(),
        };
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let index: number;
          while ((index = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, index);
            buffer = buffer.slice(index + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
              else if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trim());
            }
            if (data.length)
              client.messages.push({ event, data: JSON.parse(data.join('\n')) as AlertStreamMessage });
          }
        });
        res.on('end', () => (client.ended = true));
        res.on('error', () => undefined);
        resolve(client);
      },
    );
    req.on('error', (error) =>
      (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error),
    );
  });
}

/** A single-use stream ticket, asked for with the access token in the Authorization header. */
async function ticketFor(app: INestApplication, token: string): Promise<string> {
  const response = await signedBy(app, token).post('/api/alerts/stream-ticket').expect(201);
  const body = response.body as { ticket: string; expiresIn: number };
  expect(body.expiresIn).toBeLessThanOrEqual(30);
  return body.ticket;
}

/** Opens the stream with a fresh ticket and waits until it is live. */
async function openLiveStream(app: INestApplication, token: string): Promise<SseClient> {
  const client = await openStream(app, `/api/alerts/stream?ticket=${await ticketFor(app, token)}`);
  expect(client.status).toBe(200);
  await client.waitFor(() => client.comments.includes('ready'));
  return client;
}

describe('GET /api/alerts/stream across two API processes (Redis pub/sub)', () => {
  let { environment, api: apiA, dataSource, world } = {} as ParentsApi;
  let apiB: INestApplication;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    ({ environment, api: apiA, dataSource, world } = await startParentsApi());
    apiB = await createTestApi(environment);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await apiB?.close();
    await stopTestApi({ environment, api: apiA });
  });

  it('pushes to a client on A the alerts created and changed through B, for its organisation only, without names', async () => {
    const client = await openLiveStream(apiA, world.token);
    clients.push(client);
    expect(client.contentType).toContain('text/event-stream');

    // Another organisation's alert, created through B, never reaches this client.
    await answerAsParent(apiB, world.other, answersForPoints(pointsFor(20)));

    const answered = await answerAsParent(apiB, world.organisation, answersForPoints(pointsFor(14)), {
      firstName: 'Zoé',
      lastName: 'Lefebvre',
    });
    const { parent } = answered;
    const alert = answered.alert!;
    await client.waitFor(() => client.messages.some((message) => message.data.alert.id === alert.id));
    const created = client.messages.find((message) => message.data.alert.id === alert.id)!;
    expect(created.event).toBe('alert.created');
    expect(created.data).toMatchObject({
      type: 'alert.created',
      alert: { id: alert.id, parentId: parent.id, severity: 'high', status: 'open', reasons: ['high_score'] },
    });
    expect(JSON.stringify(created.data)).not.toMatch(/Zoé|Lefebvre|\+33/);

    // A follow-up event posted through B arrives as alert.updated.
    await signedBy(apiB, world.token)
      .post(`/api/alerts/${alert.id}/events`)
      .send({ type: 'acknowledge' })
      .expect(201);
    await client.waitFor(() =>
      client.messages.some(
        (message) => message.event === 'alert.updated' && message.data.alert.id === alert.id,
      ),
    );
    expect(client.messages.find((message) => message.event === 'alert.updated')!.data.alert.status).toBe(
      'acknowledged',
    );

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.messages.every((message) => message.data.alert.id === alert.id)).toBe(true);
  });

  it('needs a ticket, asked for with a valid token and the alerts.read permission', async () => {
    await request(apiA.getHttpServer()).get('/api/alerts/stream').expect(401);
    await request(apiA.getHttpServer()).get('/api/alerts/stream?ticket=forged').expect(401);
    await request(apiA.getHttpServer())
      .get(`/api/alerts/stream?ticket=${'A'.repeat(43)}`)
      .expect(401);
    await request(apiA.getHttpServer()).post('/api/alerts/stream-ticket').expect(401);
    const coordinatorToken = await signInNewUser(dataSource, environment.config, { role: 'coordinator' });
    await signedBy(apiA, coordinatorToken).post('/api/alerts/stream-ticket').expect(403);
  });

  it('refuses an access token in the URL, on the stream and on any other route', async () => {
    const response = await request(apiA.getHttpServer())
      .get(`/api/alerts/stream?access_token=${encodeURIComponent(world.token)}`)
      .expect(401);
    expect(response.headers['content-type']).toContain('application/json');
    await request(apiA.getHttpServer())
      .get(`/api/alerts?access_token=${encodeURIComponent(world.token)}`)
      .expect(401);
    await request(apiA.getHttpServer())
      .get(`/api/auth/me?access_token=${encodeURIComponent(world.token)}`)
      .expect(401);
    // The same token in the header works: only its place was refused.
    await signedBy(apiA, world.token).get('/api/auth/me').expect(200);
    // Nor is an access token accepted as a ticket.
    await request(apiA.getHttpServer())
      .get(`/api/alerts/stream?ticket=${encodeURIComponent(world.token)}`)
      .expect(401);
  });

  it('takes a ticket once only, in any process', async () => {
    const ticket = await ticketFor(apiA, world.token);
    const client = await openStream(apiA, `/api/alerts/stream?ticket=${ticket}`);
    clients.push(client);
    expect(client.status).toBe(200);
    await client.waitFor(() => client.comments.includes('ready'));
    const again = await request(apiA.getHttpServer()).get(`/api/alerts/stream?ticket=${ticket}`).expect(401);
    expect(again.body).toMatchObject({ statusCode: 401, code: 'invalid_stream_ticket' });
    await request(apiB.getHttpServer()).get(`/api/alerts/stream?ticket=${ticket}`).expect(401);
    client.close();
  });

  it('refuses an expired ticket', async () => {
    const ticket = await ticketFor(apiA, world.token);
    environment.clock.advance((STREAM_TICKET_TTL_SECONDS + 1) * 1000);
    try {
      await request(apiA.getHttpServer()).get(`/api/alerts/stream?ticket=${ticket}`).expect(401);
    } finally {
      environment.clock.advance(-(STREAM_TICKET_TTL_SECONDS + 1) * 1000);
    }
    // Within its 30 s, the next ticket works.
    const fresh = await ticketFor(apiA, world.token);
    const client = await openStream(apiA, `/api/alerts/stream?ticket=${fresh}`);
    expect(client.status).toBe(200);
    client.close();
  });

  it('stores the ticket hashed, never as given', async () => {
    const ticket = await ticketFor(apiA, world.token);
    const redis = apiA.get<Redis>(REDIS);
    const keys = await redis.keys(`${environment.config.queuePrefix}:*`);
    expect(keys.some((key) => key.includes(ticket))).toBe(false);
    for (const key of keys) {
      if ((await redis.type(key)) === 'string') expect(await redis.get(key)).not.toContain(ticket);
    }
    const ttl = await redis.ttl(`${environment.config.queuePrefix}:stream-ticket:${hashToken(ticket)}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  it('drops its listener when the client goes away', async () => {
    const feed = apiA.get(AlertFeedService);
    const before = feed.listenerCount();
    const client = await openLiveStream(apiA, world.token);
    expect(feed.listenerCount()).toBe(before + 1);
    client.close();
    const deadline = Date.now() + 5_000;
    while (feed.listenerCount() !== before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    expect(feed.listenerCount()).toBe(before);
  });

  describe('ends the stream when its session ends, whichever API process ends it', () => {
    let member: UserEntity;
    let admin: UserEntity;
    let adminToken: string;

    beforeAll(async () => {
      admin = await makeUser(dataSource, { organisationId: world.organisation.id, role: 'org_admin' });
      adminToken = await signIn(dataSource, environment.config, admin);
    });
    beforeEach(async () => {
      member = await makeUser(dataSource, { organisationId: world.organisation.id });
    });
    /** A new session of the member, and a live stream opened with it (closed after the file). */
    const memberStream = async () => {
      const session = await apiA.get(SessionsService).start(member);
      const client = await openLiveStream(apiA, session.accessToken);
      clients.push(client);
      return { session, client };
    };

    it('on logout (through the other process), within seconds; other sessions stay open', async () => {
      const session = await apiA.get(SessionsService).start(member);
      const otherSession = await apiA.get(SessionsService).start(member);
      const client = await openLiveStream(apiA, session.accessToken);
      const kept = await openLiveStream(apiA, otherSession.accessToken);
      clients.push(client, kept);
      await request(apiB.getHttpServer())
        .post('/api/auth/logout')
        .send({ refreshToken: session.refreshToken })
        .expect(204);
      await client.waitFor(() => client.ended, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(kept.ended).toBe(false);
      // And no new ticket for the ended session.
      await signedBy(apiA, session.accessToken).post('/api/alerts/stream-ticket').expect(401);
      kept.close();
    });

    it('when the user is deactivated, within seconds', async () => {
      const { client } = await memberStream();
      await signedBy(apiB, adminToken).post(`/api/users/${member.id}/deactivate`).expect(200);
      await client.waitFor(() => client.ended, 5_000);
    });

    it('when a reused refresh token revokes the family, within seconds', async () => {
      const { session, client } = await memberStream();
      await request(apiB.getHttpServer())
        .post('/api/auth/refresh')
        .send({ refreshToken: session.refreshToken })
        .expect(200);
      await request(apiB.getHttpServer())
        .post('/api/auth/refresh')
        .send({ refreshToken: session.refreshToken })
        .expect(401);
      await client.waitFor(() => client.ended, 5_000);
    });

    it('at the periodic check, when the revocation was never announced', async () => {
      const { client } = await memberStream();
      await dataSource.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1', [member.id]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(client.ended).toBe(false);
      await apiA.get(AlertFeedService).checkSessions();
      await client.waitFor(() => client.ended, 2_000);
    });

    it('refuses a ticket whose session ended before it was used', async () => {
      const session = await apiA.get(SessionsService).start(member);
      const ticket = await ticketFor(apiA, session.accessToken);
      await request(apiB.getHttpServer())
        .post('/api/auth/logout')
        .send({ refreshToken: session.refreshToken })
        .expect(204);
      await request(apiA.getHttpServer()).get(`/api/alerts/stream?ticket=${ticket}`).expect(401);
    });
  });

  // Last: passport keeps one 'jwt' strategy per process (the last app created), so no request may follow this close.
  it('ends open streams when the API shuts down, instead of holding the shutdown', async () => {
    const apiC = await createTestApi(environment);
    const client = await openLiveStream(apiC, world.token);
    clients.push(client);
    const started = Date.now();
    await apiC.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    await client.waitFor(() => client.ended);
  });
});
