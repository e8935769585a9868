import request from 'supertest';
import { startFakeTwilio, type FakeTwilio } from '../../testing/fake-twilio/fake-twilio-server.js';
import { makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import {
  EVERY_DAY,
  HEALTH_WORDS,
  NIGHT,
  putRota,
  raiseUrgentAlert,
} from '../../testing/jest/paging-factories.js';
import { queue, startApiAndWorker, stopApiAndWorker, type ApiAndWorker } from '../../testing/test-app.js';
import { fakeTwilioEnv } from '../../testing/worker-process.js';
import { AlertEntity } from '../alerts/alert.entity.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { UserEntity } from '../users/user.entity.js';
import { PagesService } from './pages.service.js';
import { waitFor } from '../../testing/wait-for.js';

jest.setTimeout(120_000);

const NIGHT_PHONE = '+33612340001';
const BACKUP_PHONE = '+33612340002';

interface PageRow {
  id: string;
  step: number;
  recipient_user_id: string | null;
  channel: string;
  status: string;
  phone_enc: string | null;
  token_hash: string | null;
  sent_at: Date | null;
  acknowledged_at: Date | null;
}

describe('urgent paging (real Postgres, Redis and queue, fake Twilio, fixed clock)', () => {
  let fake: FakeTwilio;
  let { environment, api, worker, dataSource } = {} as ApiAndWorker;
  let organisation: OrganisationEntity;
  let admin: UserEntity;
  let night: UserEntity;
  let backup: UserEntity;

  beforeAll(async () => {
    fake = await startFakeTwilio({ autoCallbacks: false });
    ({ environment, api, worker, dataSource } = await startApiAndWorker(fakeTwilioEnv(fake), NIGHT));
    organisation = await makeOrganisation(dataSource, { settings: { onCallEmail: 'astreinte@pmi62.test' } });
    admin = await makeUser(dataSource, {
      organisationId: organisation.id,
      role: 'org_admin',
      email: 'cadre@pmi62.test',
    });
    night = await makeUser(dataSource, { organisationId: organisation.id, email: 'nuit@pmi62.test' });
    backup = await makeUser(dataSource, { organisationId: organisation.id, email: 'renfort@pmi62.test' });
    await putRota({ environment, api, dataSource }, admin, {
      ackMinutes: 5,
      entries: [
        { userId: night.id, weekdays: EVERY_DAY, start: '19:00', end: '08:00', phone: NIGHT_PHONE },
        { userId: backup.id, weekdays: EVERY_DAY, start: '19:00', end: '08:00', phone: BACKUP_PHONE },
      ],
    });
  });
  afterAll(async () => {
    await stopApiAndWorker({ environment, api, worker });
    await fake?.close();
  });

  const pagesOf = (alertId: string): Promise<PageRow[]> =>
    dataSource.query<PageRow[]>(`SELECT * FROM pages WHERE alert_id = $1 ORDER BY step`, [alertId]);
  const eventsOf = async (alertId: string): Promise<string[]> =>
    (
      await dataSource.query<Array<{ type: string }>>(
        `SELECT type FROM follow_up_events WHERE alert_id = $1 ORDER BY created_at, type`,
        [alertId],
      )
    ).map((row) => row.type);
  const sentTo = (phone: string) => fake.messages.filter((message) => message.to === phone);
  const linkOf = (body: string): string => {
    const match = /ouvrez (http:\/\/lien\.test(\/api\/paging\/ack\/[A-Za-z0-9_-]+))$/.exec(body);
    if (!match) throw new Error(`no ack link in the page`);
    return match[2]!;
  };

  /** A second organisation with its org admin (paged by e-mail at `adminEmail` when nobody else is) and a member. */
  const otherOrganisation = async (name: string, adminEmail: string) => {
    const org = await makeOrganisation(dataSource, { name });
    const orgAdmin = await makeUser(dataSource, {
      organisationId: org.id,
      role: 'org_admin',
      email: adminEmail,
    });
    return { org, orgAdmin, member: await makeUser(dataSource, { organisationId: org.id }) };
  };
  const urgentAnswer = (org: OrganisationEntity): Promise<AlertEntity> =>
    raiseUrgentAlert({ environment, api, dataSource }, org);

  it('pages the night on-call at once by SMS with no health word, once, then the next on-call; the link acknowledges once and stops escalation', async () => {
    const alert = await urgentAnswer(organisation);
    const [first] = await waitFor(
      'the first page',
      () => sentTo(NIGHT_PHONE).length === 1 && sentTo(NIGHT_PHONE),
    );
    expect(first!.body).toMatch(
      /^Lien : une alerte urgente vous attend, ouvrez http:\/\/lien\.test\/api\/paging\/ack\/[A-Za-z0-9_-]{22}$/,
    );
    expect(first!.body).not.toMatch(HEALTH_WORDS);
    expect(first!.from).toBe('Lien62');
    const sent = await waitFor('the page row sent', async () => {
      const rows = await pagesOf(alert.id);
      return rows[0]?.status === 'sent' && rows;
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ step: 0, recipient_user_id: night.id, channel: 'sms' });
    // The phone and the token are never stored in clear: the link's token only as a hash, in page_links.
    expect(JSON.stringify(sent)).not.toContain('612340001');
    const links = await dataSource.query<Array<{ token_hash: string }>>(
      `SELECT token_hash FROM page_links WHERE page_id = $1`,
      [sent[0]!.id],
    );
    expect(links).toHaveLength(1);
    expect(links[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(links[0]!.token_hash).not.toBe(linkOf(first!.body).split('/').pop());
    expect(await eventsOf(alert.id)).toContain('paged');

    // Replays of the send job send nothing twice.
    expect(await worker.get(PagesService).send(sent[0]!.id)).toBe('done');
    await queue(api, 'alerts').add(
      'paging.send',
      { pageId: sent[0]!.id },
      { jobId: `page-${sent[0]!.id}-replay` },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(NIGHT_PHONE)).toHaveLength(1);

    // Not acknowledged within ackMinutes: the delayed escalation job pages the next on-call.
    const escalation = await queue(api, 'alerts').getJob(`page-escalate-${alert.id}-0`);
    expect(escalation).toBeDefined();
    expect(await escalation!.isDelayed()).toBe(true);
    expect(escalation!.opts.delay).toBe(5 * 60_000);
    environment.clock.advance(5 * 60_000 + 1_000);
    await escalation!.promote();
    const [second] = await waitFor(
      'the backup page',
      () => sentTo(BACKUP_PHONE).length === 1 && sentTo(BACKUP_PHONE),
    );
    expect(second!.body).not.toMatch(HEALTH_WORDS);
    expect((await pagesOf(alert.id)).map((page) => [page.step, page.recipient_user_id])).toEqual([
      [0, night.id],
      [1, backup.id],
    ]);
    // A replayed escalation of step 0 pages nobody more.
    expect(await worker.get(PagesService).escalate(alert.id, 0)).toBe('done');

    // The link acknowledges the page and the alert, then leads to the console; a second use is refused.
    const link = linkOf(second!.body);
    const opened = await request(api.getHttpServer()).get(link).expect(302);
    expect(opened.headers['location']).toBe(`http://lien.test/alerts/${alert.id}`);
    await request(api.getHttpServer()).get(link).expect(410);
    await request(api.getHttpServer())
      .get('/api/paging/ack/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
      .expect(404);
    const acknowledged = await dataSource.getRepository(AlertEntity).findOneByOrFail({ id: alert.id });
    expect(acknowledged.acknowledgedAt).not.toBeNull();
    expect(acknowledged.status).toBe('acknowledged');
    const pages = await pagesOf(alert.id);
    expect(pages[1]).toMatchObject({ status: 'acknowledged' });
    expect(pages[1]!.acknowledged_at).not.toBeNull();
    expect(await eventsOf(alert.id)).toEqual(expect.arrayContaining(['paged', 'paged', 'page_acknowledged']));

    // Escalation stops: the step-1 job finds the page acknowledged and pages nobody.
    environment.clock.advance(5 * 60_000 + 1_000);
    const next = await queue(api, 'alerts').getJob(`page-escalate-${alert.id}-1`);
    expect(next).toBeDefined();
    await next!.promote();
    await waitFor('the step-1 job to finish', async () => (await next!.getState()) === 'completed');
    expect(next!.id).toBeDefined();
    expect((await queue(api, 'alerts').getJob(`page-escalate-${alert.id}-1`))!.returnvalue).toBe(
      'acknowledged',
    );
    expect(await pagesOf(alert.id)).toHaveLength(2);
    const adminMails = await dataSource.query<unknown[]>(
      `SELECT 1 FROM email_messages WHERE to_address = $1 AND subject LIKE '%prise en charge%'`,
      ['cadre@pmi62.test'],
    );
    expect(adminMails).toHaveLength(0);
  });

  it('the reconciler restores a lost escalation job', async () => {
    const alert = await urgentAnswer(organisation);
    await waitFor('the first page', async () => (await pagesOf(alert.id))[0]?.status === 'sent');
    const alerts = queue(api, 'alerts');
    await (await alerts.getJob(`page-escalate-${alert.id}-0`))!.remove();
    expect(await alerts.getJob(`page-escalate-${alert.id}-0`)).toBeUndefined();
    const result = await worker.get(PagesService).reconcile();
    expect(result.escalations).toBeGreaterThanOrEqual(1);
    const restored = await alerts.getJob(`page-escalate-${alert.id}-0`);
    expect(restored).toBeDefined();
    expect(await restored!.isDelayed()).toBe(true);
    // Acknowledged in the console, so that later tests' alerts are not paged by this one.
    await dataSource.query(
      `UPDATE alerts SET acknowledged_at = now(), status = 'acknowledged' WHERE id = $1`,
      [alert.id],
    );
  });

  it('acknowledging the alert in the console stops escalation too', async () => {
    const alert = await urgentAnswer(organisation);
    await waitFor('the first page', async () => (await pagesOf(alert.id))[0]?.status === 'sent');
    const token = await signIn(dataSource, environment.config, night);
    await request(api.getHttpServer())
      .post(`/api/alerts/${alert.id}/events`)
      .set('Authorization', `Bearer ${token}`)
      .send({ type: 'acknowledge' })
      .expect((response) => expect(response.status).toBeLessThan(300));
    expect(await worker.get(PagesService).escalate(alert.id, 0)).toBe('acknowledged');
    expect(await pagesOf(alert.id)).toHaveLength(1);
  });

  it('a rota gap pages the organisation admin (by e-mail without a rota phone)', async () => {
    const {
      org: daytime,
      orgAdmin: dayAdmin,
      member: nurse,
    } = await otherOrganisation('PMI jour', 'cadre@jour.test');
    await putRota({ environment, api, dataSource }, dayAdmin, {
      entries: [
        { userId: nurse.id, weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '19:00', phone: '+33612340009' },
      ],
    });
    const alert = await urgentAnswer(daytime);
    const pages = await pagesOf(alert.id);
    expect(pages).toEqual([
      expect.objectContaining({
        step: 0,
        recipient_user_id: dayAdmin.id,
        channel: 'email',
        status: 'sent',
        phone_enc: null,
      }),
    ]);
    const mails = await dataSource.query<Array<{ body: string }>>(
      `SELECT body FROM email_messages WHERE to_address = $1`,
      ['cadre@jour.test'],
    );
    expect(mails.some((mail) => mail.body.includes(`/alerts/${alert.id}`))).toBe(true);
    expect(sentTo('+33612340009')).toHaveLength(0);
  });

  it('an unreachable on-call (number refused by the provider) pages the next on-call at once', async () => {
    const {
      org,
      orgAdmin,
      member: first,
    } = await otherOrganisation('PMI injoignable', 'cadre@injoignable.test');
    await putRota({ environment, api, dataSource }, orgAdmin, {
      ackMinutes: 30,
      entries: [
        { userId: first.id, weekdays: EVERY_DAY, start: '19:00', end: '08:00', phone: '+33612340021' },
        // The admin's own line, used when the admin is paged after the on-call.
        { userId: orgAdmin.id, weekdays: [6], start: '08:00', end: '09:00', phone: '+33612340022' },
      ],
    });
    fake.rejectTo('+33612340021', 21614);
    const alert = await urgentAnswer(org);
    // Well before the 30 minutes: the admin is paged by SMS on their rota mobile.
    const [adminPage] = await waitFor(
      'the admin page',
      () => sentTo('+33612340022').length === 1 && sentTo('+33612340022'),
    );
    expect(adminPage!.body).toMatch(/^Lien : une alerte urgente vous attend, ouvrez /);
    const pages = await pagesOf(alert.id);
    expect(pages.map((page) => [page.step, page.recipient_user_id, page.channel])).toEqual([
      [0, first.id, 'sms'],
      [1, orgAdmin.id, 'sms'],
    ]);
    expect(pages[0]!.status).toBe('failed');
  });
});
