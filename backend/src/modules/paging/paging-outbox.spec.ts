import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { startFakeTwilio, type FakeTwilio } from '../../testing/fake-twilio/fake-twilio-server.js';
import { makeOrganisation, makeUser } from '../../testing/factories.js';
import { EVERY_DAY, putRota, raiseUrgentAlert } from '../../testing/jest/paging-factories.js';
import { startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';
import { waitFor } from '../../testing/wait-for.js';
import { WorkerProcesses, fakeTwilioEnv } from '../../testing/worker-process.js';

jest.setTimeout(150_000);

const ON_CALL_PHONE = '+33612340101';

/**
 * A page's SMS is an outbox row sent by the SMS pipeline: the real worker entry point (`worker.ts`, compiled)
 * in its own process is killed (SIGKILL) after the fake Twilio accepted the page SMS and before the worker
 * recorded it; a second worker finds the message at the provider (by its link) and adopts it: one SMS.
 */
describe('a page SMS when the worker dies between the provider’s acceptance and the commit', () => {
  let fake: FakeTwilio;
  let { environment, api, dataSource } = {} as TestApi;
  const workers = new WorkerProcesses();

  beforeAll(async () => {
    fake = await startFakeTwilio({ autoCallbacks: false });
    ({ environment, api, dataSource } = await startTestApi(fakeTwilioEnv(fake)));
    workers.compile();
  });
  afterAll(async () => {
    workers.dispose();
    await stopTestApi({ environment, api });
    await fake?.close();
  });

  const startWorker = (): ChildProcess =>
    workers.start(environment, fake, {
      PUBLIC_BASE_URL: environment.config.publicBaseUrl,
      SMS_SEND_TIMEOUT_MS: '5000',
      SMS_UNKNOWN_GRACE_MS: '1000',
      SMS_WORKER_LOCK_MS: '1500',
    });
  const withOutput = <T>(work: () => Promise<T>): Promise<T> => workers.withOutput(work);

  it('sends the page SMS exactly once, and its link acknowledges the page', async () => {
    const organisation = await makeOrganisation(dataSource);
    const admin = await makeUser(dataSource, { organisationId: organisation.id, role: 'org_admin' });
    const onCall = await makeUser(dataSource, { organisationId: organisation.id });
    await putRota({ environment, api, dataSource }, admin, {
      ackMinutes: 120,
      entries: [
        { userId: onCall.id, weekdays: EVERY_DAY, start: '00:00', end: '23:59', phone: ON_CALL_PHONE },
      ],
    });
    // The provider accepts the page SMS at once but answers only after 15 s: the worker is killed meanwhile.
    fake.delayNext(1, 15_000);
    const alert = await raiseUrgentAlert({ environment, api, dataSource }, organisation);
    const [row] = await dataSource.query<Array<{ id: string; status: string; kind: string }>>(
      `SELECT s.id, s.status, s.kind FROM sms_messages s JOIN pages p ON p.id = s.page_id WHERE p.alert_id = $1`,
      [alert.id],
    );
    expect(row).toMatchObject({ kind: 'page', status: 'pending' });

    const first = startWorker();
    await withOutput(() =>
      waitFor('the fake Twilio to accept the page SMS', () => fake.messages.length === 1, 90_000),
    );
    await workers.kill(first);
    const [killed] = await dataSource.query<Array<{ status: string; provider_sid: string | null }>>(
      `SELECT status, provider_sid FROM sms_messages WHERE id = $1`,
      [row!.id],
    );
    // Accepted at the provider, not recorded here: the state a crash between acceptance and commit leaves.
    expect(killed).toEqual({ status: 'sending', provider_sid: null });

    startWorker();
    const recorded = await withOutput(() =>
      waitFor(
        'the second worker to adopt the message',
        async () => {
          const [current] = await dataSource.query<
            Array<{
              status: string;
              provider_sid: string | null;
              status_history: Array<{ status: string; errorCode?: string }>;
            }>
          >(`SELECT status, provider_sid, status_history FROM sms_messages WHERE id = $1`, [row!.id]);
          return current?.provider_sid ? current : false;
        },
        90_000,
      ),
    );
    await fake.idle();
    expect(fake.messages).toHaveLength(1);
    const [sms] = fake.messages;
    expect(sms!.to).toBe(ON_CALL_PHONE);
    expect(recorded.provider_sid).toBe(sms!.sid);
    expect(recorded.status).toBe('queued');
    // It went through the provider check (the worker was lost), not through a second send.
    expect(recorded.status_history).toEqual(
      expect.arrayContaining([expect.objectContaining({ status: 'unknown', errorCode: 'worker_lost' })]),
    );
    const pages = await dataSource.query<Array<{ status: string }>>(
      `SELECT status FROM pages WHERE alert_id = $1`,
      [alert.id],
    );
    expect(pages).toEqual([{ status: 'sent' }]);
    const events = await dataSource.query<Array<{ type: string }>>(
      `SELECT type FROM follow_up_events WHERE alert_id = $1 AND type LIKE 'page%' ORDER BY created_at, type`,
      [alert.id],
    );
    expect(events.map((event) => event.type)).toEqual(['paged', 'page_sent']);

    // The one SMS's link is the page's: it acknowledges it.
    const link = /ouvrez http:\/\/lien\.test(\/api\/paging\/ack\/[A-Za-z0-9_-]+)$/.exec(sms!.body)![1]!;
    await request(api.getHttpServer()).get(link).expect(302);
    expect(await dataSource.query(`SELECT status FROM pages WHERE alert_id = $1`, [alert.id])).toEqual([
      { status: 'acknowledged' },
    ]);
  });
});
