import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { CreatedWebhookEndpoint } from '@lien/shared';
import { answersForPoints, startSmtpServer, type TestSmtpServer } from '../../testing/alerts-factories.js';
import { makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import { makeLinkedInvitation } from '../../testing/questionnaire-factories.js';
import { startLoggedApiAndWorker } from '../../testing/logged-stack.js';
import { queue, stopApiAndWorker, type ApiAndWorker } from '../../testing/test-app.js';
import { jobId } from '../../queue/jobs.js';
import { MailService } from '../notifications/mail.service.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { waitFor } from '../../testing/wait-for.js';

/** Item 10 (self-harm) positive: an urgent alert, its e-mails, deadlines and partner event. */
const URGENT_ANSWERS = answersForPoints([0, 0, 0, 0, 0, 0, 0, 0, 0, 3]);

/**
 * Issue #13: a request's id reaches every job it causes (e-mail, alert deadline, partner webhook), and the worker
 * runs each such job in that request's context, so its log lines name the request.
 */
describe('request ids carried into the e-mail, alert-deadline and webhook jobs a request causes', () => {
  let smtp: TestSmtpServer;
  let { environment, api, worker, dataSource } = {} as ApiAndWorker;
  let organisation: OrganisationEntity;
  let receiver: Server;
  let receiverBase = '';
  const workerLog: Array<Record<string, unknown>> = [];

  const logLine = (text: string) =>
    waitFor(`the worker log line "${text}"`, () => workerLog.find((line) => String(line.msg).includes(text)));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    ({ environment, api, worker, dataSource } = await startLoggedApiAndWorker({
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Lien <alertes@lien.test>' },
      workerLog,
    }));
    organisation = await makeOrganisation(dataSource, { settings: { onCallEmail: 'astreinte@lien.test' } });
  });
  afterAll(async () => {
    await stopApiAndWorker({ environment, api, worker });
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    await smtp?.close();
  });

  it('a password reset request: its e-mail job carries the request id and the worker logs under it', async () => {
    const user = await makeUser(dataSource, { organisationId: organisation.id });
    await request(api.getHttpServer())
      .post('/api/users/password-reset/request')
      .set('X-Request-Id', 'reset-42')
      .send({ email: user.email })
      .expect(202);
    const [row] = await waitFor('the reset e-mail row', async () => {
      const rows = await dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM email_messages WHERE to_address = $1`,
        [user.email.toLowerCase()],
      );
      return rows.length > 0 && rows;
    });
    const job = await queue(api, 'email').getJob(jobId.email(row!.id));
    expect(job?.data).toEqual({ emailMessageId: row!.id, requestId: 'reset-42' });

    const line = await logLine(`email.send job ${jobId.email(row!.id)}`);
    expect(line.requestId).toBe('reset-42');
    await smtp.waitFor(1);
  });

  it('an urgent answer: its e-mail, deadline and webhook jobs carry the request id, and each worker logs under it', async () => {
    const admin = await makeUser(dataSource, { organisationId: organisation.id, role: 'org_admin' });
    const adminToken = await signIn(dataSource, environment.config, admin);
    const registered = await request(api.getHttpServer())
      .post('/api/webhook-endpoints')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ url: `${receiverBase}/hook`, eventTypes: ['alert.created'] })
      .expect(201);
    const endpoint = registered.body as CreatedWebhookEndpoint;

    const { tokens } = await makeLinkedInvitation(dataSource, organisation);
    await request(api.getHttpServer())
      .post(`/api/public/questionnaires/${tokens[0]!}/responses`)
      .set('X-Request-Id', 'urgent-7')
      .send({ answers: URGENT_ANSWERS })
      .expect(201);
    const [alert] = await dataSource.query<Array<{ id: string; severity: string }>>(
      `SELECT id, severity FROM alerts WHERE organisation_id = $1`,
      [organisation.id],
    );
    expect(alert?.severity).toBe('urgent');

    // The on-call e-mail.
    const [mail] = await dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM email_messages WHERE to_address = 'astreinte@lien.test'`,
    );
    const mailJob = await queue(api, 'email').getJob(jobId.email(mail!.id));
    expect(mailJob?.data).toEqual({ emailMessageId: mail!.id, requestId: 'urgent-7' });
    expect((await logLine(`email.send job ${jobId.email(mail!.id)}`)).requestId).toBe('urgent-7');

    // The partner event.
    const [delivery] = await dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1`,
      [endpoint.id],
    );
    const deliveryJob = await queue(api, 'webhooks').getJob(jobId.webhook(delivery!.id));
    expect(deliveryJob?.data).toEqual({ webhookDeliveryId: delivery!.id, requestId: 'urgent-7' });
    expect((await logLine(`webhooks.deliver job ${jobId.webhook(delivery!.id)}`)).requestId).toBe('urgent-7');

    // The deadlines (acknowledge, first contact): delayed jobs; one is run now to read the worker's line.
    const deadlines = (await queue(api, 'alerts').getJobs(['delayed'])).filter(
      (job) => (job.data as { alertId?: string }).alertId === alert!.id,
    );
    expect(deadlines.length).toBeGreaterThan(0);
    for (const job of deadlines) expect(job.data).toEqual({ alertId: alert!.id, requestId: 'urgent-7' });
    await deadlines[0]!.promote();
    expect((await logLine(`alerts.deadline job ${deadlines[0]!.id!}`)).requestId).toBe('urgent-7');
  });

  it('jobs made outside a request (reconcilers) carry no request id and log no job line', async () => {
    const user = await makeUser(dataSource, { organisationId: organisation.id });
    const [row] = await dataSource.query<Array<{ id: string }>>(
      `INSERT INTO email_messages (organisation_id, to_address, subject, body, status)
       VALUES ($1, $2, 'Lien : essai', 'Bonjour.', 'pending') RETURNING id`,
      [organisation.id, user.email.toLowerCase()],
    );
    await api.get(MailService).schedule(row!.id);
    const job = await queue(api, 'email').getJob(jobId.email(row!.id));
    expect(job?.data).toEqual({ emailMessageId: row!.id });
    await waitFor('the e-mail sent', async () => {
      const [sent] = await dataSource.query<Array<{ status: string }>>(
        `SELECT status FROM email_messages WHERE id = $1`,
        [row!.id],
      );
      return sent?.status === 'sent';
    });
    expect(
      workerLog.some((line) => String(line.msg).includes(`email.send job ${jobId.email(row!.id)}`)),
    ).toBe(false);
  });
});
