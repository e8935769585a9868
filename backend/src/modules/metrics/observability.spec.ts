import request from 'supertest';
import type { ParentDetail } from '@lien/shared';
import { answersForPoints } from '../../testing/alerts-factories.js';
import { startFakeTwilio, type FakeTwilio } from '../../testing/fake-twilio/fake-twilio-server.js';
import { makeOrganisation, signInNewUser } from '../../testing/factories.js';
import { startLoggedApiAndWorker } from '../../testing/logged-stack.js';
import { freePort, RunningClock } from '../../testing/parents-factories.js';
import { BIRTH, DAY7, START } from '../../testing/jest/sms-stack.js';
import { queue, stopApiAndWorker, type ApiAndWorker } from '../../testing/test-app.js';
import { fakeTwilioEnv } from '../../testing/worker-process.js';
import { withRequestId } from '../../common/request-context.js';
import { AlertDeadlineService } from '../alerts/alert-deadline.service.js';
import { AuditService } from '../audit/audit.service.js';
import { SmsReconciler } from '../sms/sms-reconciler.service.js';
import { checkScrape } from './metrics-auth.js';
import { waitFor } from '../../testing/wait-for.js';

jest.setTimeout(120_000);

const METRICS_TOKEN = 'observability-test-token-0123456789abcdef';
/** Item 10 (self-harm) positive: an urgent alert. */
const URGENT_ANSWERS = answersForPoints([0, 0, 0, 0, 0, 0, 0, 0, 0, 3]);

/** The value of one sample (`name{labels} value`) in a Prometheus text exposition; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('metrics, request ids and probes of a real API + worker (fake Twilio)', () => {
  let fake: FakeTwilio;
  let { environment, api, worker, dataSource } = {} as ApiAndWorker;
  let token: string;
  let workerPort: number;
  const workerLog: Array<Record<string, unknown>> = [];
  const clock = new RunningClock(START);

  const scrape = async (): Promise<string> =>
    (
      await request(api.getHttpServer())
        .get('/metrics')
        .set('Authorization', `Bearer ${METRICS_TOKEN}`)
        .expect(200)
    ).text;
  const scrapeWorker = async (): Promise<string> => {
    const response = await fetch(`http://127.0.0.1:${workerPort}/metrics`, {
      headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    fake = await startFakeTwilio({ autoCallbacks: false });
    const port = await freePort();
    workerPort = await freePort();
    ({ environment, api, worker, dataSource } = await startLoggedApiAndWorker({
      env: {
        ...fakeTwilioEnv(fake),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        SMS_RATE_PER_SECOND: '10000',
        METRICS_TOKEN,
        WORKER_HEALTH_PORT: String(workerPort),
      },
      workerLog,
      clock,
      port,
    }));
    const organisation = await makeOrganisation(dataSource);
    token = await signInNewUser(dataSource, environment.config, { organisationId: organisation.id });
  });
  afterAll(async () => {
    await stopApiAndWorker({ environment, api, worker });
    await fake?.close();
  });

  it('refuses anonymous and wrongly authenticated scrapes (401), on the API and on the worker port', async () => {
    const anonymous = await request(api.getHttpServer()).get('/metrics').expect(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401, code: 'metrics_token_required' });
    expect(anonymous.text).not.toContain('lien_');
    await request(api.getHttpServer()).get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
    // A user's JWT is not a metrics token.
    await request(api.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${token}`).expect(401);
    // A browser asking for HTML gets the same refusal, not the console's index page.
    await request(api.getHttpServer()).get('/metrics').set('Accept', 'text/html').expect(401);
    const workerAnonymous = await fetch(`http://127.0.0.1:${workerPort}/metrics`);
    expect(workerAnonymous.status).toBe(401);
    expect(await workerAnonymous.text()).not.toContain('lien_');
  });

  it('has metrics off without METRICS_TOKEN and checks the token in constant time', () => {
    expect(checkScrape(null, `Bearer ${METRICS_TOKEN}`)).toBe('disabled');
    expect(checkScrape(METRICS_TOKEN, undefined)).toBe('refused');
    expect(checkScrape(METRICS_TOKEN, `Basic ${METRICS_TOKEN}`)).toBe('refused');
    expect(checkScrape(METRICS_TOKEN, `Bearer ${METRICS_TOKEN}x`)).toBe('refused');
    expect(checkScrape(METRICS_TOKEN, `Bearer ${METRICS_TOKEN}`)).toBe('allowed');
  });

  it('request id abc-123 from the enrolment to the audit event, the SMS job and the worker log; metrics count the journey', async () => {
    const before = await scrape();
    const beforeWorker = await scrapeWorker();

    // Enrolment with the caller's request id: echoed, audited, carried by the job.
    clock.set(START);
    const enrolment = await request(api.getHttpServer())
      .post('/api/parents')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Request-Id', 'abc-123')
      .send({
        firstName: 'Léa',
        lastName: 'Petit',
        phone: '+33756110001',
        role: 'mother',
        language: 'fr',
        birthDate: BIRTH,
        consent: { given: true, textVersion: 'v1' },
      })
      .expect(201);
    expect(enrolment.headers['x-request-id']).toBe('abc-123');
    const parent = enrolment.body as ParentDetail;
    const [audit] = await dataSource.query<Array<{ request_id: string }>>(
      `SELECT request_id FROM audit_events WHERE action = 'parent.enrol' AND target_id = $1`,
      [parent.id],
    );
    expect(audit?.request_id).toBe('abc-123');
    const smsId = parent.invitations[0]!.sms[0]!.id;
    const job = await queue(api, 'sms').getJob(`sms-${smsId}`);
    expect(job?.data).toEqual({ smsMessageId: smsId, requestId: 'abc-123' });

    // The day-7 send: the worker's log line for that job names the request.
    clock.set(DAY7);
    await worker.get(SmsReconciler).reconcile();
    const [message] = await waitFor('the SMS at the fake', () => fake.messages.length === 1 && fake.messages);
    const jobLine = await waitFor('the worker log line of the job', () =>
      workerLog.find((line) => String(line.msg).includes(`sms.send job sms-${smsId}`)),
    );
    expect(jobLine.requestId).toBe('abc-123');
    await waitFor('the accepted row', async () => {
      const [row] = await dataSource.query<Array<{ provider_sid: string | null }>>(
        'SELECT provider_sid FROM sms_messages WHERE id = $1',
        [smsId],
      );
      return row?.provider_sid;
    });
    await fake.sendStatusCallback(message!.sid, 'delivered');

    // The parent answers through the link: a submission and an urgent alert.
    const linkToken = /\/q\/([A-Za-z0-9_-]+)$/.exec(message!.body)![1]!;
    await request(api.getHttpServer()).get(`/q/${linkToken}`).expect(200);
    await request(api.getHttpServer())
      .post(`/api/public/questionnaires/${linkToken}/responses`)
      .send({ answers: URGENT_ANSWERS })
      .expect(201);
    const [alert] = await dataSource.query<Array<{ id: string; severity: string }>>(
      'SELECT id, severity FROM alerts WHERE parent_id = $1',
      [parent.id],
    );
    expect(alert?.severity).toBe('urgent');
    // Nobody acknowledges it: its deadlines pass.
    clock.set(new Date(DAY7.getTime() + 10 * 86_400_000));
    expect(await worker.get(AlertDeadlineService).check(alert!.id)).toBe('escalated');

    const after = await scrape();
    const afterWorker = await scrapeWorker();
    const delta = (text: string, base: string, series: string): number =>
      sample(text, series) - sample(base, series);
    expect(delta(afterWorker, beforeWorker, 'lien_sms_sent_total{outcome="accepted"}')).toBe(1);
    expect(delta(afterWorker, beforeWorker, 'lien_sms_send_lateness_seconds_count')).toBe(1);
    expect(delta(after, before, 'lien_sms_sent_total{outcome="delivered"}')).toBe(1);
    expect(delta(after, before, 'lien_questionnaire_submissions_total')).toBe(1);
    expect(delta(after, before, 'lien_alerts_opened_total{severity="urgent"}')).toBe(1);
    expect(delta(afterWorker, beforeWorker, 'lien_alert_deadlines_missed_total')).toBe(1);
    expect(
      delta(
        after,
        before,
        'lien_http_request_duration_seconds_count{method="POST",route="/api/parents",status_code="201"}',
      ),
    ).toBe(1);
    expect(
      sample(
        after,
        'lien_http_request_duration_seconds_count{method="GET",route="/q/:token",status_code="200"}',
      ),
    ).toBe(1);
    // Route templates only: the questionnaire token never appears in a label.
    expect(after).not.toContain(linkToken);
    expect(after).toContain('route="/api/public/questionnaires/:token/responses"');
    for (const text of [after, afterWorker]) {
      for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed'])
        expect(text).toContain(`lien_queue_jobs{queue="sms",state="${state}"}`);
      expect(text).toMatch(/^lien_queue_oldest_waiting_age_seconds\{queue="sms"\} \d/m);
      expect(text).toMatch(/^lien_db_pool_connections\{state="total"\} [1-9]/m);
      expect(text).toContain('lien_db_pool_connections{state="idle"}');
      expect(text).toContain('lien_db_pool_connections{state="waiting"}');
      expect(text).toContain('lien_ready{component="postgres"} 1');
      expect(text).toContain('lien_ready{component="redis"} 1');
      expect(text).toContain('lien_ready{component="migrations"} 1');
      expect(text).toContain('lien_nodejs_eventloop_lag_seconds');
      expect(text).toContain('lien_process_cpu_user_seconds_total');
      // No phone number, name or token in any series.
      expect(text).not.toMatch(/\+33|Léa|Petit/);
    }
    expect(afterWorker).toContain('lien_ready{component="queues"} 1');
  });

  it('audit events written without an explicit request id take the one of the work under way', async () => {
    const audit = api.get(AuditService);
    await withRequestId('job-ctx-7', () =>
      audit.record({ actorId: null, organisationId: null }, { action: 'test.context', targetId: 'a' }),
    );
    await audit.record({ actorId: null, organisationId: null }, { action: 'test.context', targetId: 'b' });
    const rows = await dataSource.query<Array<{ target_id: string; request_id: string | null }>>(
      `SELECT target_id, request_id FROM audit_events WHERE action = 'test.context' ORDER BY target_id`,
    );
    expect(rows).toEqual([
      { target_id: 'a', request_id: 'job-ctx-7' },
      { target_id: 'b', request_id: null },
    ]);
  });

  it('echoes a valid X-Request-Id, replaces an invalid one, and puts it in every error body', async () => {
    const long = 'a'.repeat(128);
    const kept = await request(api.getHttpServer())
      .get('/api/health/live')
      .set('X-Request-Id', long)
      .expect(200);
    expect(kept.headers['x-request-id']).toBe(long);
    for (const bad of ['a'.repeat(129), 'abc 123', 'abc/123', 'é']) {
      const replaced = await request(api.getHttpServer())
        .get('/api/health/live')
        .set('X-Request-Id', bad)
        .expect(200);
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    const generated = await request(api.getHttpServer()).get('/api/health/live').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const notFound = await request(api.getHttpServer())
      .get('/api/nothing-here')
      .set('X-Request-Id', 'err-1')
      .expect(404);
    expect(notFound.headers['x-request-id']).toBe('err-1');
    expect(notFound.body).toMatchObject({ statusCode: 404, requestId: 'err-1' });
    const unauthorised = await request(api.getHttpServer())
      .get('/api/parents')
      .set('X-Request-Id', 'err-2')
      .expect(401);
    expect(unauthorised.body).toMatchObject({ statusCode: 401, requestId: 'err-2' });
    /** A signed enrolment under the request id `requestId`. */
    const enrolAs = (requestId: string) =>
      request(api.getHttpServer())
        .post('/api/parents')
        .set('Authorization', `Bearer ${token}`)
        .set('X-Request-Id', requestId);
    const malformed = await enrolAs('err-3')
      .set('Content-Type', 'application/json')
      .send('{not json')
      .expect(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, requestId: 'err-3' });
    const invalid = await enrolAs('err-4').send({}).expect(400);
    expect(invalid.headers['x-request-id']).toBe('err-4');
    expect(invalid.body).toMatchObject({ statusCode: 400, requestId: 'err-4' });
  });
});
