import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { startFakeTwilio, type FakeTwilio } from '../../testing/fake-twilio/fake-twilio-server.js';
import { makeOrganisation } from '../../testing/factories.js';
import {
  createTestApiOnPort,
  freePort,
  makeDueSmsBatch,
  RunningClock,
} from '../../testing/parents-factories.js';
import {
  createTestEnvironment,
  createTestWorker,
  dataSourceOf,
  type TestEnvironment,
} from '../../testing/test-app.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { QuestionnaireService } from '../questionnaire/questionnaire.service.js';
import { SmsQueueService } from './sms-queue.service.js';
import { linkTokenIn } from './sms-text.js';

jest.setTimeout(90_000);

const START = new Date('2026-03-02T08:00:00Z'); // Monday 09:00 in Paris: within quiet hours

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A claimed SMS waits for a send place (one send at a time here, and the provider answers the send ahead of it
 * slowly): a STOP or an answer received meanwhile must stop it before the provider call.
 */
describe('a claimed SMS is checked again right before the provider call', () => {
  let fake: FakeTwilio;
  let environment: TestEnvironment;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let dataSource: DataSource;
  let organisation: OrganisationEntity;
  let publicBaseUrl: string;
  const clock = new RunningClock(START);

  beforeAll(async () => {
    fake = await startFakeTwilio({ autoCallbacks: false });
    const port = await freePort();
    publicBaseUrl = `http://127.0.0.1:${port}`;
    environment = await createTestEnvironment({
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_API_BASE_URL: fake.baseUrl,
      PUBLIC_BASE_URL: publicBaseUrl,
      SMS_RATE_PER_SECOND: '10000',
      SMS_WORKER_CONCURRENCY: '1',
      SMS_SEND_TIMEOUT_MS: '10000',
      SMS_WORKER_LOCK_MS: '20000',
    });
    environment.clock = clock;
    api = await createTestApiOnPort(environment, port);
    worker = await createTestWorker(environment);
    dataSource = dataSourceOf(api);
    organisation = await makeOrganisation(dataSource, { settings: { reminders: { count: 0, afterHours: 48 } } });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await environment?.teardown();
    await fake?.close();
  });
  beforeEach(() => clock.set(START));

  const statusOf = async (id: string): Promise<{ status: string; error_code: string | null }> =>
    (
      await dataSource.query<Array<{ status: string; error_code: string | null }>>(
        `SELECT status, error_code FROM sms_messages WHERE id = $1`,
        [id],
      )
    )[0]!;
  const enqueue = (ids: string[]) =>
    worker.get(SmsQueueService).enqueue(ids.map((id) => ({ id, dueAt: clock.now() })));

  /** Sends a blocker whose provider answer takes `ms`, then enqueues `id`, and resolves once `id` is claimed. */
  const claimBehindSlowSend = async (id: string, ms: number): Promise<string> => {
    const [blocker] = await makeDueSmsBatch(dataSource, environment.config, organisation, 1, clock.now());
    fake.delayNext(1, ms);
    const before = fake.requests.length;
    await enqueue([blocker!.smsId]);
    await waitFor('the slow send under way', async () =>
      fake.requests.slice(before).some((r) => r.method === 'POST' && r.respondedAt === null),
    );
    await enqueue([id]);
    await waitFor('the row claimed and waiting', async () => (await statusOf(id)).status === 'sending');
    return blocker!.smsId;
  };

  it('a STOP received (signed inbound webhook) while the claimed SMS waited cancels the send', async () => {
    const [target] = await makeDueSmsBatch(dataSource, environment.config, organisation, 1, clock.now());
    const blocker = await claimBehindSlowSend(target!.smsId, 1_500);

    const stop = await fake.sendInbound({
      from: target!.phone,
      to: '+33700000001',
      body: 'STOP',
      url: `${publicBaseUrl}/api/webhooks/twilio/inbound`,
    });
    expect(stop.responseStatus).toBe(200);

    await waitFor('the blocker accepted', async () => (await statusOf(blocker)).status === 'queued');
    await waitFor('the target decided', async () => (await statusOf(target!.smsId)).status !== 'sending');
    expect(await statusOf(target!.smsId)).toEqual({ status: 'cancelled', error_code: 'parent_opted_out' });
    expect(fake.messages.filter((m) => m.to === target!.phone)).toEqual([]);
    const [{ links }] = await dataSource.query<[{ links: number }]>(
      `SELECT count(*)::int AS links FROM invitation_links WHERE sms_message_id = $1`,
      [target!.smsId],
    );
    expect(links).toBe(0);
  });

  it('an answer received while a claimed reminder waited cancels the reminder', async () => {
    // The invitation SMS goes out normally; the parent has its link.
    const [first] = await makeDueSmsBatch(dataSource, environment.config, organisation, 1, clock.now());
    await enqueue([first!.smsId]);
    await waitFor('the invitation accepted', async () => (await statusOf(first!.smsId)).status === 'queued');
    const token = linkTokenIn(fake.messages.find((m) => m.to === first!.phone)!.body);
    expect(token).not.toBeNull();
    // Its reminder is due now, and gets claimed behind a slow send.
    const [reminder] = await dataSource.query<Array<{ id: string }>>(
      `INSERT INTO sms_messages (organisation_id, parent_id, invitation_id, kind, due_at)
       VALUES ($1, $2, $3, 'reminder', $4) RETURNING id`,
      [organisation.id, first!.parentId, first!.invitationId, clock.now()],
    );
    const blocker = await claimBehindSlowSend(reminder!.id, 1_500);

    // The parent answers (the questionnaire's real path) while the reminder waits.
    const questionnaire = api.get(QuestionnaireService);
    const link = await questionnaire.resolve(token!, '198.51.100.9');
    if (!('record' in link)) throw new Error(`link not open: ${link.kind}`);
    const outcome = await questionnaire.submit(link.record, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'fr', 'web_form', {
      ip: '198.51.100.9',
      requestId: null,
    });
    expect(outcome.kind).toBe('stored');

    await waitFor('the blocker accepted', async () => (await statusOf(blocker)).status === 'queued');
    await waitFor('the reminder decided', async () => (await statusOf(reminder!.id)).status !== 'sending');
    expect(await statusOf(reminder!.id)).toEqual({ status: 'cancelled', error_code: 'invitation_completed' });
    expect(fake.messages.filter((m) => m.to === first!.phone)).toHaveLength(1);
  });
});
