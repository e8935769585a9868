import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AlertStreamMessage } from '@lien/shared';
import {
  createTestApi,
  createTestEnvironment,
  dataSourceOf,
  type TestEnvironment,
} from '../../testing/test-app.js';
import { makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import {
  answersForPoints,
  makeAlertParent,
  makeInvitation,
  openAlertOf,
  pointsFor,
  storeResponse,
} from '../../testing/alerts-factories.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { AlertFeedService } from './alert-feed.service.js';

jest.setTimeout(60_000);

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

describe('GET /api/alerts/stream across two API processes (Redis pub/sub)', () => {
  let environment: TestEnvironment;
  let apiA: INestApplication;
  let apiB: INestApplication;
  let dataSource: DataSource;
  let organisation: OrganisationEntity;
  let other: OrganisationEntity;
  let token: string;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment();
    apiA = await createTestApi(environment);
    apiB = await createTestApi(environment);
    dataSource = dataSourceOf(apiA);
    organisation = await makeOrganisation(dataSource);
    other = await makeOrganisation(dataSource, { name: 'Autre' });
    const user = await makeUser(dataSource, { organisationId: organisation.id });
    token = await signIn(dataSource, environment.config, user);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await apiA?.close();
    await apiB?.close();
    await environment?.teardown();
  });

  it('pushes to a client on A the alerts created and changed through B, for its organisation only, without names', async () => {
    const client = await openStream(apiA, `/api/alerts/stream?access_token=${encodeURIComponent(token)}`);
    clients.push(client);
    expect(client.status).toBe(200);
    expect(client.contentType).toContain('text/event-stream');
    await client.waitFor(() => client.comments.includes('ready'));

    // Another organisation's alert, created through B, never reaches this client.
    const stranger = await makeAlertParent(dataSource, environment.config, { organisationId: other.id });
    await storeResponse(apiB, {
      organisation: other,
      parent: stranger,
      invitation: await makeInvitation(dataSource, stranger),
      answers: answersForPoints(pointsFor(20)),
    });

    const parent = await makeAlertParent(dataSource, environment.config, {
      organisationId: organisation.id,
      firstName: 'Zoé',
      lastName: 'Lefebvre',
    });
    await storeResponse(apiB, {
      organisation,
      parent,
      invitation: await makeInvitation(dataSource, parent),
      answers: answersForPoints(pointsFor(14)),
    });
    const alert = (await openAlertOf(dataSource, parent.id))!;
    await client.waitFor(() => client.messages.some((message) => message.data.alert.id === alert.id));
    const created = client.messages.find((message) => message.data.alert.id === alert.id)!;
    expect(created.event).toBe('alert.created');
    expect(created.data).toMatchObject({
      type: 'alert.created',
      alert: { id: alert.id, parentId: parent.id, severity: 'high', status: 'open', reasons: ['high_score'] },
    });
    expect(JSON.stringify(created.data)).not.toMatch(/Zoé|Lefebvre|\+33/);

    // A follow-up event posted through B arrives as alert.updated.
    await request(apiB.getHttpServer())
      .post(`/api/alerts/${alert.id}/events`)
      .set('Authorization', `Bearer ${token}`)
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

  it('needs a valid token and the alerts.read permission', async () => {
    await request(apiA.getHttpServer()).get('/api/alerts/stream').expect(401);
    await request(apiA.getHttpServer()).get('/api/alerts/stream?access_token=forged').expect(401);
    const coordinator = await makeUser(dataSource, { role: 'coordinator' });
    const coordinatorToken = await signIn(dataSource, environment.config, coordinator);
    await request(apiA.getHttpServer())
      .get(`/api/alerts/stream?access_token=${coordinatorToken}`)
      .expect(403);
  });

  it('drops its listener when the client goes away', async () => {
    const feed = apiA.get(AlertFeedService);
    const before = feed.listenerCount();
    const client = await openStream(apiA, `/api/alerts/stream?access_token=${encodeURIComponent(token)}`);
    await client.waitFor(() => client.comments.includes('ready'));
    expect(feed.listenerCount()).toBe(before + 1);
    client.close();
    const deadline = Date.now() + 5_000;
    while (feed.listenerCount() !== before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    expect(feed.listenerCount()).toBe(before);
  });

  // Last: passport keeps one 'jwt' strategy per process (the last app created), so no request may follow this close.
  it('ends open streams when the API shuts down, instead of holding the shutdown', async () => {
    const apiC = await createTestApi(environment);
    const client = await openStream(apiC, `/api/alerts/stream?access_token=${encodeURIComponent(token)}`);
    clients.push(client);
    await client.waitFor(() => client.comments.includes('ready'));
    const started = Date.now();
    await apiC.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    await client.waitFor(() => client.ended);
  });
});
