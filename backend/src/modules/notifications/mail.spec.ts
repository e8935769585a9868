import request from 'supertest';
import { queue } from '../../testing/test-app.js';
import { makeOrganisation, signInNewUser } from '../../testing/factories.js';
import { mailText, startMailStack, stopMailStack, type MailStack } from '../../testing/alerts-factories.js';
import { jobId } from '../../queue/jobs.js';
import { EmailDeliveryService } from './email-delivery.service.js';
import { EmailMessageEntity } from './email-message.entity.js';
import { MailService } from './mail.service.js';
import { startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';

/** GET /api/dev/outbox/email as a new user (`overrides` as for `makeUser`), answered `status`. */
async function outboxOfNewUser(
  { environment, api, dataSource }: TestApi,
  overrides: Parameters<typeof signInNewUser>[2],
  status = 200,
) {
  return request(api.getHttpServer())
    .get('/api/dev/outbox/email')
    .set('Authorization', `Bearer ${await signInNewUser(dataSource, environment.config, overrides)}`)
    .expect(status);
}

jest.setTimeout(30_000);

describe('MailService over a real SMTP server', () => {
  let { smtp, environment, api, worker, dataSource } = {} as MailStack;

  beforeAll(async () => {
    ({ smtp, environment, api, worker, dataSource } = await startMailStack({
      MAIL_FROM: 'Lien <alertes@lien.test>',
    }));
  });

  afterAll(() => stopMailStack({ smtp, environment, api, worker }));

  it('writes the row in the caller transaction and sends it after commit, once', async () => {
    const organisation = await makeOrganisation(dataSource);
    const mail = api.get(MailService);
    const id = await dataSource.transaction((manager) =>
      mail.enqueue(
        {
          to: 'Referent@Example.org',
          subject: 'Lien : essai',
          body: 'Bonjour, ceci est un essai.',
          organisationId: organisation.id,
        },
        manager,
      ),
    );
    const job = await queue(api, 'email').getJob(jobId.email(id));
    expect(job?.name).toBe('email.send');
    expect(job?.data).toEqual({ emailMessageId: id });

    const [received] = await smtp.waitFor(1);
    expect(received?.to).toEqual(['referent@example.org']);
    expect(received?.from).toBe('alertes@lien.test');
    expect(mailText(received!)).toContain('Bonjour, ceci est un essai.');
    await waitUntil(
      async () =>
        (await dataSource.getRepository(EmailMessageEntity).findOneByOrFail({ id })).status === 'sent',
    );
    const row = await dataSource.getRepository(EmailMessageEntity).findOneByOrFail({ id });
    expect(row.attempts).toBe(1);
    expect(row.sentAt).not.toBeNull();

    // Sending the same row again is a no-op: it is no longer pending.
    expect(await worker.get(EmailDeliveryService).send(id, false)).toBe('skipped');
    expect(smtp.received).toHaveLength(1);
  });

  it('writes nothing and queues nothing when the caller transaction rolls back', async () => {
    const mail = api.get(MailService);
    let id = '';
    await expect(
      dataSource.transaction(async (manager) => {
        id = await mail.enqueue(
          { to: 'x@example.org', subject: 's', body: 'b', organisationId: null },
          manager,
        );
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(id).not.toBe('');
    expect(await dataSource.getRepository(EmailMessageEntity).findOneBy({ id })).toBeNull();
    expect(await queue(api, 'email').getJob(jobId.email(id))).toBeUndefined();
  });

  it('re-queues a pending row whose job was lost (reconciler)', async () => {
    const before = smtp.received.length;
    const row = await dataSource.getRepository(EmailMessageEntity).save({
      organisationId: null,
      toAddress: 'lost@example.org',
      subject: 'Lien : perdu',
      body: 'Retrouvé.',
      status: 'pending',
      createdAt: new Date(environment.clock.now().getTime() - 5 * 60_000),
    });
    const delivery = worker.get(EmailDeliveryService);
    expect(await delivery.reconcile()).toBeGreaterThanOrEqual(1);
    await smtp.waitFor(before + 1);
    expect(smtp.received.at(-1)?.to).toEqual(['lost@example.org']);
    await waitUntil(
      async () =>
        (await dataSource.getRepository(EmailMessageEntity).findOneByOrFail({ id: row.id })).status ===
        'sent',
    );
  });

  it('refuses an invalid address before writing anything', async () => {
    await expect(
      api.get(MailService).enqueue({ to: 'not an address', subject: 's', body: 'b', organisationId: null }),
    ).rejects.toThrow(RangeError);
  });

  it('has no local outbox once SMTP is configured (404)', async () => {
    const organisation = await makeOrganisation(dataSource);
    const response = await outboxOfNewUser(
      { environment, api, dataSource },
      { organisationId: organisation.id, email: 'pro@example.org' },
      404,
    );
    expect(response.body).toMatchObject({ code: 'not_found', message: 'Outbox not found' });
  });
});

describe('email outbox without SMTP', () => {
  let { environment, api, dataSource } = {} as TestApi;

  beforeAll(async () => ({ environment, api, dataSource } = await startTestApi()));

  afterAll(() => stopTestApi({ environment, api }));

  /** The dev outbox of a new user (`overrides` as for `makeUser`). */
  const outboxOf = async (overrides: Parameters<typeof signInNewUser>[2]): Promise<unknown> =>
    (await outboxOfNewUser({ environment, api, dataSource }, overrides)).body;

  it('keeps the email in the outbox, shows it to its addressee only, and queues no job', async () => {
    const organisation = await makeOrganisation(dataSource);
    const other = await makeOrganisation(dataSource, { name: 'Autre' });
    const id = await api.get(MailService).enqueue({
      to: 'pro@example.org',
      subject: 'Lien : essai',
      body: 'Corps',
      organisationId: organisation.id,
    });
    const row = await dataSource.getRepository(EmailMessageEntity).findOneByOrFail({ id });
    expect(row.status).toBe('outbox');
    expect(await queue(api, 'email').getJob(jobId.email(id))).toBeUndefined();

    expect(await outboxOf({ organisationId: organisation.id, email: 'pro@example.org' })).toEqual([
      expect.objectContaining({
        id,
        to: 'pro@example.org',
        subject: 'Lien : essai',
        body: 'Corps',
        status: 'outbox',
      }),
    ]);

    // A colleague of the same organisation sees nobody else's mail (changed: it used to be per organisation).
    expect(await outboxOf({ organisationId: organisation.id })).toEqual([]);
    expect(await outboxOf({ organisationId: other.id })).toEqual([]);
    await request(api.getHttpServer()).get('/api/dev/outbox/email').expect(401);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
