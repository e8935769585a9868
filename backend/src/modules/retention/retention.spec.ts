import type { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../../migrations/index.js';
import { RetentionPurgeKeepsRollups1763800700000 } from '../../../../migrations/1763800700000-retention-purge-keeps-rollups.js';
import { makeOrganisation } from '../../testing/factories.js';
import {
  reportAlert,
  reportInvitation,
  reportParent,
  reportResponse,
  reportSms,
} from '../../testing/reports-factories.js';
import { compileServiceModule } from '../../testing/service-module.js';
import {
  createTestEnvironment,
  createTestWorker,
  runScheduledJob,
  type TestEnvironment,
} from '../../testing/test-app.js';
import { AuditModule } from '../audit/audit.module.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { ParentEntity } from '../parents/parent.entity.js';
import { ReportsModule } from '../reports/reports.module.js';
import { RollupMaintenanceService } from '../reports/rollup-maintenance.service.js';
import { RetentionModule } from './retention.module.js';
import { RETENTION_BATCH_SIZE, RetentionPurgeService } from './retention.service.js';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const NOW = new Date('2026-03-02T08:00:00Z');
const RETENTION_DAYS = 365;
/** now − RETENTION_DAYS: activity strictly before it is over the retention period. */
const CUTOFF = new Date(NOW.getTime() - RETENTION_DAYS * DAY);
const before = (at: Date, days: number) => new Date(at.getTime() - days * DAY);
const dateOnly = (at: Date) => at.toISOString().slice(0, 10);

interface FollowUp {
  parent: ParentEntity;
  invitationIds: string[];
  smsIds: string[];
}

/**
 * A parent with a whole follow-up whose last activity (the alert's closure and its event) is at `end`:
 * two waves answered or expired, their SMS (and dev outbox copies), links, a response, a closed alert.
 */
async function followUp(
  dataSource: DataSource,
  organisation: OrganisationEntity,
  end: Date,
  overrides: Partial<ParentEntity> = {},
): Promise<FollowUp> {
  const start = before(end, 200);
  const parent = await reportParent(dataSource, organisation, {
    createdAt: start,
    consentRecordedAt: start,
    birthDate: dateOnly(before(end, 205)),
    ...overrides,
  });
  const day7 = await reportInvitation(dataSource, parent, {
    wave: 'day7',
    status: 'completed',
    dueAt: before(end, 190),
    sentAt: before(end, 190),
    openedAt: before(end, 189),
    completedAt: before(end, 189),
    expiresAt: before(end, 180),
  });
  const day42 = await reportInvitation(dataSource, parent, {
    wave: 'day42',
    status: 'expired',
    dueAt: before(end, 150),
    sentAt: before(end, 150),
    expiresAt: before(end, 140),
  });
  const smsIds: string[] = [];
  for (const invitation of [day7, day42]) {
    const sms = await reportSms(dataSource, invitation, {
      status: 'delivered',
      sentAt: invitation.dueAt,
      segments: 1,
    });
    smsIds.push(sms.id);
    await dataSource.query(
      `INSERT INTO invitation_links (organisation_id, invitation_id, token_hash, sms_message_id)
       VALUES ($1, $2, md5(random()::text) || md5(random()::text), $3)`,
      [organisation.id, invitation.id, sms.id],
    );
    await dataSource.query(
      `INSERT INTO dev_sms_outbox (organisation_id, sms_message_id, to_phone, sender, body)
       VALUES ($1, $2, '+33600000000', 'Lien', 'placeholder')`,
      [organisation.id, sms.id],
    );
  }
  await reportResponse(dataSource, day7, { band: 'high', createdAt: before(end, 189) });
  const alert = await reportAlert(dataSource, parent, {
    createdAt: before(end, 189),
    firstContactAt: before(end, 188),
    status: 'closed',
    outcome: 'in_care',
    closedAt: end,
    updatedAt: end,
  });
  for (const [type, at] of [
    ['acknowledge', before(end, 189)],
    ['close', end],
  ] as const) {
    await dataSource.query(
      `INSERT INTO follow_up_events (organisation_id, alert_id, parent_id, type, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [organisation.id, alert.id, parent.id, type, at],
    );
  }
  return { parent, invitationIds: [day7.id, day42.id], smsIds };
}

/** Rows left that belong to the parent, per table. */
async function rowsOf(dataSource: DataSource, subject: FollowUp): Promise<Record<string, number>> {
  const [row] = await dataSource.query<Record<string, number>[]>(
    `SELECT (SELECT count(*) FROM parents WHERE id = $1)::int AS parents,
            (SELECT count(*) FROM invitations WHERE parent_id = $1 OR id = ANY($2::uuid[]))::int AS invitations,
            (SELECT count(*) FROM invitation_links WHERE invitation_id = ANY($2::uuid[]))::int AS links,
            (SELECT count(*) FROM sms_messages WHERE parent_id = $1 OR id = ANY($3::uuid[]))::int AS sms,
            (SELECT count(*) FROM dev_sms_outbox WHERE sms_message_id = ANY($3::uuid[]))::int AS dev_outbox,
            (SELECT count(*) FROM responses WHERE parent_id = $1)::int AS responses,
            (SELECT count(*) FROM alerts WHERE parent_id = $1)::int AS alerts,
            (SELECT count(*) FROM follow_up_events WHERE parent_id = $1)::int AS events`,
    [subject.parent.id, subject.invitationIds, subject.smsIds],
  );
  return row!;
}

const WHOLE = {
  parents: 1,
  invitations: 2,
  links: 2,
  sms: 2,
  dev_outbox: 2,
  responses: 1,
  alerts: 1,
  events: 2,
};
const NOTHING = {
  parents: 0,
  invitations: 0,
  links: 0,
  sms: 0,
  dev_outbox: 0,
  responses: 0,
  alerts: 0,
  events: 0,
};

/** Every row of the compacted rollups and the contact times, in a stable order. */
async function reportSnapshot(dataSource: DataSource): Promise<unknown[]> {
  const daily = await dataSource.query<unknown[]>(
    `SELECT day::text, organisation_id, subject, dim1, dim2, c1, c2, c3, c4, c5, c6, c7, c8 FROM report_daily
     WHERE (c1, c2, c3, c4, c5, c6, c7, c8) <> (0, 0, 0, 0, 0, 0, 0, 0) ORDER BY 1, 2, 3, 4, 5`,
  );
  const monthly = await dataSource.query<unknown[]>(
    `SELECT month::text, organisation_id, subject, dim1, dim2, c1, c2, c3, c4, c5, c6, c7, c8 FROM report_monthly
     WHERE (c1, c2, c3, c4, c5, c6, c7, c8) <> (0, 0, 0, 0, 0, 0, 0, 0) ORDER BY 1, 2, 3, 4, 5`,
  );
  const contactTimes = await dataSource.query<unknown[]>(
    `SELECT alert_id, organisation_id, day::text, severity, positive, seconds FROM report_contact_times ORDER BY 1`,
  );
  return [daily, monthly, contactTimes];
}

interface ContactSubject {
  screeningId: string | null;
  requestId: string;
  alertId: string | null;
}

/**
 * A "be contacted" request (encrypted identity) made at `start` from a self-screening of the same hour, with
 * (unless `alert` is false) its contact-request alert closed at `end` and two follow-up events.
 */
async function contactRequest(
  dataSource: DataSource,
  organisation: OrganisationEntity,
  start: Date,
  end: Date,
  options: { alert?: boolean; alertStatus?: string; parentId?: string; screening?: boolean } = {},
): Promise<ContactSubject> {
  let screeningId: string | null = null;
  if (options.screening !== false) {
    const [screening] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO self_screenings (source_code, role, child_age, departement, language, band, item10_positive,
         anxiety_flag, created_at)
       VALUES ('direct', 'mother', '3-6w', '62', 'fr', 'high', false, false, date_trunc('hour', $1::timestamptz))
       RETURNING id`,
      [start],
    );
    screeningId = screening!.id;
  }
  const [request] = await dataSource.query<{ id: string }[]>(
    `INSERT INTO contact_requests (organisation_id, screening_id, routing, departement, role, language, pregnant,
       band, item10_positive, first_name_enc, phone_enc, channel, time_slots, consent_text_version, consented_at,
       created_at)
     VALUES ($1, $2, 'departement', '62', 'mother', 'fr', false, 'high', false, 'v1:enc-name', 'v1:enc-phone',
       'call', '{morning}', 'v1', $3, $3)
     RETURNING id`,
    [organisation.id, screeningId, start],
  );
  if (options.alert === false) return { screeningId, requestId: request!.id, alertId: null };
  const status = options.alertStatus ?? 'closed';
  const [alert] = await dataSource.query<{ id: string }[]>(
    `INSERT INTO alerts (organisation_id, parent_id, contact_request_id, severity, severity_rank, reasons, status,
       acknowledge_due_at, contact_due_at, created_at, updated_at, closed_at, outcome)
     VALUES ($1, $2, $3, 'moderate', 1, '{contact_request}', $4, $5, $5, $5, $6, $7, $8)
     RETURNING id`,
    [
      organisation.id,
      options.parentId ?? null,
      request!.id,
      status,
      start,
      end,
      status === 'closed' ? end : null,
      status === 'closed' ? 'in_care' : null,
    ],
  );
  for (const [type, at] of [
    ['acknowledge', start],
    ['close', end],
  ] as const) {
    await dataSource.query(
      `INSERT INTO follow_up_events (organisation_id, alert_id, parent_id, type, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [organisation.id, alert!.id, options.parentId ?? null, type, at],
    );
  }
  return { screeningId, requestId: request!.id, alertId: alert!.id };
}

/** Rows left of a contact request, its alert and events, and its self-screening. */
async function contactRowsOf(
  dataSource: DataSource,
  subject: ContactSubject,
): Promise<Record<string, number>> {
  const [row] = await dataSource.query<Record<string, number>[]>(
    `SELECT (SELECT count(*) FROM contact_requests WHERE id = $1)::int AS requests,
            (SELECT count(*) FROM alerts WHERE contact_request_id = $1 OR id = $2)::int AS alerts,
            (SELECT count(*) FROM follow_up_events WHERE alert_id = $2)::int AS events,
            (SELECT count(*) FROM self_screenings WHERE id = $3)::int AS screenings`,
    [subject.requestId, subject.alertId, subject.screeningId],
  );
  return row!;
}

interface PurgeEvent {
  actor_id: string | null;
  organisation_id: string | null;
  target_id: string | null;
  metadata: Record<string, unknown>;
}

function purgeEvents(dataSource: DataSource): Promise<PurgeEvent[]> {
  return dataSource.query<PurgeEvent[]>(
    `SELECT actor_id, organisation_id, target_id, metadata FROM audit_events WHERE action = 'retention.purge' ORDER BY id`,
  );
}

describe('retention purge (real Postgres)', () => {
  let environment: TestEnvironment;
  let moduleRef: TestingModule;
  let dataSource: DataSource;
  let purge: RetentionPurgeService;
  let maintenance: RollupMaintenanceService;
  let organisations: OrganisationEntity[];

  beforeAll(async () => {
    environment = await createTestEnvironment({ RETENTION_DAYS: String(RETENTION_DAYS) }, NOW);
    // The purge's own module graph, not started: its scheduled job stays off and the tests call the service.
    moduleRef = await compileServiceModule(
      environment,
      { applicationName: 'lien-retention-test', poolSize: 6 },
      [AuditModule, RetentionModule, ReportsModule],
    );
    dataSource = moduleRef.get(DataSource);
    purge = moduleRef.get(RetentionPurgeService);
    maintenance = moduleRef.get(RollupMaintenanceService);
    organisations = [
      await makeOrganisation(dataSource, { name: 'PMI Lens', departement: '62' }),
      await makeOrganisation(dataSource, {
        name: 'Maternité Réunion',
        departement: '974',
        timeZone: 'Indian/Reunion',
      }),
    ];
  });

  afterAll(async () => {
    await moduleRef?.close();
    await environment?.teardown();
  });

  it('computes the cutoff from the clock and RETENTION_DAYS', () => {
    expect(purge.cutoff().toISOString()).toBe(CUTOFF.toISOString());
  });

  describe('a first run', () => {
    const subjects: Record<string, FollowUp> = {};
    let reportsBefore: unknown[];
    let result: Awaited<ReturnType<RetentionPurgeService['run']>>;

    beforeAll(async () => {
      const [lens, reunion] = organisations as [OrganisationEntity, OrganisationEntity];
      // Over: last activity one day, a year, or a millisecond before the cutoff.
      subjects.over = await followUp(dataSource, lens, before(CUTOFF, 1));
      subjects.overLongAgo = await followUp(dataSource, reunion, before(CUTOFF, 400), {
        status: 'withdrawn',
        statusChangedAt: before(CUTOFF, 500),
      });
      subjects.justOver = await followUp(dataSource, lens, new Date(CUTOFF.getTime() - 1));
      // The boundary: last activity exactly RETENTION_DAYS ago is not "more than" the period.
      subjects.atCutoff = await followUp(dataSource, lens, CUTOFF);
      // Old, but something is still live.
      subjects.openAlert = await followUp(dataSource, lens, before(CUTOFF, 30));
      await dataSource.query(
        `UPDATE alerts SET status = 'referred', closed_at = NULL, outcome = NULL WHERE parent_id = $1`,
        [subjects.openAlert.parent.id],
      );
      subjects.plannedInvitation = await followUp(dataSource, lens, before(CUTOFF, 30));
      await reportInvitation(dataSource, subjects.plannedInvitation.parent, {
        wave: 'adhoc',
        status: 'planned',
        dueAt: before(CUTOFF, 30),
      });
      subjects.sentInvitation = await followUp(dataSource, reunion, before(CUTOFF, 30));
      await dataSource.query(`UPDATE invitations SET status = 'sent' WHERE id = $1`, [
        subjects.sentInvitation.invitationIds[1],
      ]);
      /** An old follow-up of Lens whose SMS number `index` is left in `status`. */
      const withSms = async (index: number, status: string): Promise<FollowUp> => {
        const subject = await followUp(dataSource, lens, before(CUTOFF, 30));
        await dataSource.query(`UPDATE sms_messages SET status = $2 WHERE id = $1`, [
          subject.smsIds[index],
          status,
        ]);
        return subject;
      };
      subjects.pendingSms = await withSms(1, 'pending');
      subjects.sendingSms = await withSms(0, 'sending');
      // Accepted long ago, its delivery callback never came: settled for the purge.
      subjects.queuedLongAgo = await withSms(0, 'queued');
      // Old, but with recent activity.
      subjects.recentEvent = await followUp(dataSource, lens, before(CUTOFF, 30));
      await dataSource.query(
        `INSERT INTO follow_up_events (organisation_id, alert_id, parent_id, type, created_at)
         SELECT organisation_id, id, parent_id, 'note', $2 FROM alerts WHERE parent_id = $1`,
        [subjects.recentEvent.parent.id, before(NOW, 10)],
      );
      subjects.recentOptOut = await followUp(dataSource, reunion, before(CUTOFF, 30), {
        status: 'opted_out',
        statusChangedAt: before(NOW, 10),
      });
      subjects.recentFollowUp = await followUp(dataSource, lens, before(NOW, 20));
      // Dates without time count until the end of their day (UTC): the cutoff's day keeps the parent.
      subjects.bornOnCutoffDay = await followUp(dataSource, lens, before(CUTOFF, 30), {
        birthDate: dateOnly(CUTOFF),
      });
      subjects.bornDayBefore = await followUp(dataSource, lens, before(CUTOFF, 30), {
        birthDate: dateOnly(before(CUTOFF, 1)),
      });
      subjects.termAhead = await followUp(dataSource, reunion, before(CUTOFF, 30), {
        birthDate: null,
        expectedTermDate: dateOnly(before(NOW, -30)),
      });

      // The organisations' rollups rebuilt and every delta compacted, as the worker keeps them.
      await maintenance.run();
      reportsBefore = await reportSnapshot(dataSource);
      result = await purge.run();
    });

    const purged = ['over', 'overLongAgo', 'justOver', 'bornDayBefore', 'queuedLongAgo'];
    const kept = [
      'atCutoff',
      'openAlert',
      'plannedInvitation',
      'sentInvitation',
      'pendingSms',
      'sendingSms',
      'recentEvent',
      'recentOptOut',
      'recentFollowUp',
      'bornOnCutoffDay',
      'termAhead',
    ];

    it.each(purged)('deletes %s with every row that belongs to them', async (name) => {
      expect(await rowsOf(dataSource, subjects[name]!)).toEqual(NOTHING);
    });

    it.each(kept)('keeps %s and all their rows', async (name) => {
      const rows = await rowsOf(dataSource, subjects[name]!);
      const extraInvitation = name === 'plannedInvitation' ? 1 : 0;
      expect(rows).toEqual({
        ...WHOLE,
        invitations: WHOLE.invitations + extraInvitation,
        events: rows.events,
      });
      expect(rows.events).toBeGreaterThanOrEqual(2);
    });

    it('reports what it deleted, per table', () => {
      expect(result.busy).toBe(false);
      expect(result.cutoff.toISOString()).toBe(CUTOFF.toISOString());
      expect(result.rows).toEqual({
        parents: 5,
        invitations: 10,
        invitationLinks: 10,
        smsMessages: 10,
        devSmsOutbox: 10,
        responses: 5,
        alerts: 5,
        followUpEvents: 10,
      });
    });

    it('leaves the reports exactly as they were', async () => {
      expect(reportsBefore[0]).not.toEqual([]);
      expect(await dataSource.query('SELECT count(*)::int AS n FROM report_delta')).toEqual([{ n: 0 }]);
      await maintenance.run();
      expect(await reportSnapshot(dataSource)).toEqual(reportsBefore);
    });

    it('writes one audit event with the cutoff and the counts, no actor, no names nor ids of parents', async () => {
      const events = await purgeEvents(dataSource);
      expect(events).toHaveLength(1);
      const [event] = events as [PurgeEvent];
      expect(event).toMatchObject({ actor_id: null, organisation_id: null, target_id: null });
      expect(event.metadata).toMatchObject({
        cutoff: CUTOFF.toISOString(),
        retentionDays: RETENTION_DAYS,
        parents: 5,
        responses: 5,
        parentsByOrganisation: { [organisations[0]!.id]: 4, [organisations[1]!.id]: 1 },
      });
      const text = JSON.stringify(event.metadata);
      for (const name of purged) expect(text).not.toContain(subjects[name]!.parent.id);
    });

    it('purges nothing on a second run and writes no second event', async () => {
      const again = await purge.run();
      expect(again.busy).toBe(false);
      expect(again.rows.parents).toBe(0);
      expect(await purgeEvents(dataSource)).toHaveLength(1);
    });

    it('still tracks deletions made outside the purge in the reports', async () => {
      const snapshot = await reportSnapshot(dataSource);
      await dataSource.query('DELETE FROM parents WHERE id = $1', [subjects.recentFollowUp!.parent.id]);
      await maintenance.run();
      expect(await reportSnapshot(dataSource)).not.toEqual(snapshot);
    });
  });

  describe('contact requests, their alerts and self-screenings', () => {
    const subjects: Record<string, ContactSubject> = {};
    let loneOld: string;
    let loneRecent: string;
    let result: Awaited<ReturnType<RetentionPurgeService['run']>>;
    let eventsBefore: number;

    beforeAll(async () => {
      const [lens, reunion] = organisations as [OrganisationEntity, OrganisationEntity];
      const old = before(CUTOFF, 60);
      subjects.closedLongAgo = await contactRequest(dataSource, lens, old, before(CUTOFF, 1));
      subjects.closedJustOver = await contactRequest(
        dataSource,
        reunion,
        old,
        new Date(CUTOFF.getTime() - 1),
      );
      subjects.noAlert = await contactRequest(dataSource, lens, old, old, { alert: false });
      subjects.closedAtCutoff = await contactRequest(dataSource, lens, old, CUTOFF);
      subjects.openAlert = await contactRequest(dataSource, lens, old, old, { alertStatus: 'open' });
      subjects.recentEvent = await contactRequest(dataSource, lens, old, before(CUTOFF, 1));
      await dataSource.query(
        `INSERT INTO follow_up_events (organisation_id, alert_id, type, created_at) VALUES ($1, $2, 'note', $3)`,
        [lens.id, subjects.recentEvent.alertId, before(NOW, 10)],
      );
      subjects.recentRequest = await contactRequest(dataSource, lens, before(NOW, 20), before(NOW, 10));
      // Enrolled: the alert follows a parent; it goes with that parent's purge, and the request with it.
      const followed = await followUp(dataSource, lens, before(NOW, 20));
      subjects.enrolledFollowed = await contactRequest(dataSource, lens, old, before(CUTOFF, 1), {
        parentId: followed.parent.id,
      });
      const over = await followUp(dataSource, reunion, before(CUTOFF, 2));
      subjects.enrolledOver = await contactRequest(dataSource, reunion, old, before(CUTOFF, 1), {
        parentId: over.parent.id,
      });
      const screening = async (at: Date): Promise<string> =>
        (
          await dataSource.query<{ id: string }[]>(
            `INSERT INTO self_screenings (source_code, role, child_age, language, band, item10_positive,
               anxiety_flag, created_at)
             VALUES ('direct', 'father', '0-2w', 'fr', 'low', false, false, $1) RETURNING id`,
            [at],
          )
        )[0]!.id;
      loneOld = await screening(before(CUTOFF, 1));
      loneRecent = await screening(before(NOW, 1));
      eventsBefore = (await purgeEvents(dataSource)).length;
      result = await purge.run();
    });

    const purged = ['closedLongAgo', 'closedJustOver', 'noAlert', 'enrolledOver'];
    const kept = ['closedAtCutoff', 'openAlert', 'recentEvent', 'recentRequest', 'enrolledFollowed'];

    it.each(purged)('deletes %s: the request, its alert and events, and its self-screening', async (name) => {
      expect(await contactRowsOf(dataSource, subjects[name]!)).toEqual({
        requests: 0,
        alerts: 0,
        events: 0,
        screenings: 0,
      });
    });

    it.each(kept)('keeps %s, its alert and events, and its self-screening', async (name) => {
      const rows = await contactRowsOf(dataSource, subjects[name]!);
      expect(rows).toEqual({ requests: 1, alerts: 1, events: rows.events, screenings: 1 });
      expect(rows.events).toBeGreaterThanOrEqual(2);
    });

    it('deletes the self-screenings past the period that no kept request points to, and only those', async () => {
      const left = await dataSource.query<{ id: string }[]>(
        'SELECT id FROM self_screenings WHERE id = ANY($1::uuid[])',
        [[loneOld, loneRecent]],
      );
      expect(left).toEqual([{ id: loneRecent }]);
    });

    it('counts them in the result and in one audit event, without ids', async () => {
      // The enrolled request's alert and events went with its parent (counted there).
      expect(result.rows.parents).toBe(1);
      expect(result.screening).toEqual({
        contactRequests: 4,
        contactRequestAlerts: 2,
        contactRequestFollowUpEvents: 4,
        selfScreenings: 5,
      });
      const events = await purgeEvents(dataSource);
      expect(events).toHaveLength(eventsBefore + 1);
      const event = events.at(-1)!;
      expect(event.metadata).toMatchObject({
        cutoff: CUTOFF.toISOString(),
        contactRequests: 4,
        contactRequestAlerts: 2,
        contactRequestFollowUpEvents: 4,
        selfScreenings: 5,
      });
      const text = JSON.stringify(event.metadata);
      for (const name of purged) expect(text).not.toContain(subjects[name]!.requestId);
    });
  });

  it('works in batches, and two concurrent runs purge each parent once without waiting on each other', async () => {
    const count = 2 * RETENTION_BATCH_SIZE + 100;
    const eventsBefore = (await purgeEvents(dataSource)).length;
    await dataSource.query(
      `INSERT INTO parents (organisation_id, first_name_enc, last_name_enc, phone_enc, phone_index, last_name_index,
         first_name_index, role, language, consent_recorded_by, consent_recorded_at, consent_text_version, created_at)
       SELECT $1, 'x', 'x', 'x', md5(n::text), md5(n::text), md5(n::text), 'mother', 'fr', gen_random_uuid(), $2, 'v1', $2
       FROM generate_series(1, $3) n`,
      [organisations[0]!.id, before(CUTOFF, 10), count],
    );
    const runs = await Promise.all([purge.run(), purge.run()]);
    expect(runs[0].rows.parents + runs[1].rows.parents).toBe(count);
    // One run purged in batches; the other found the lock taken, or nothing left.
    const worker = runs.find((run) => run.rows.parents > 0)!;
    expect(worker.rows.parents).toBe(count);
    expect(worker.batches).toBe(3);
    expect(runs.filter((run) => run.rows.parents === 0)).toHaveLength(1);
    expect(await purgeEvents(dataSource)).toHaveLength(eventsBefore + 1);
  });

  it('skips a parent another transaction is writing for, and sees what that transaction added', async () => {
    const subject = await followUp(dataSource, organisations[0]!, before(CUTOFF, 5));
    const writer = dataSource.createQueryRunner();
    await writer.connect();
    try {
      await writer.startTransaction();
      // An ad-hoc invitation being created: its foreign key holds a KEY SHARE lock on the parent.
      await writer.query(
        `INSERT INTO invitations (organisation_id, parent_id, wave, due_at, status) VALUES ($1, $2, 'adhoc', $3, 'planned')`,
        [subject.parent.organisationId, subject.parent.id, NOW],
      );
      const during = await purge.run();
      expect(during.rows.parents).toBe(0);
      await writer.commitTransaction();
    } finally {
      await writer.release();
    }
    const after = await purge.run();
    expect(after.rows.parents).toBe(0);
    expect((await rowsOf(dataSource, subject)).parents).toBe(1);
  });

  it('is undone by the migration down(): deletes are tracked again even with the purge setting', async () => {
    const subject = await followUp(dataSource, organisations[0]!, before(CUTOFF, 5));
    const deltasOfPurgeDelete = async (): Promise<number> => {
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await runner.query(`SELECT set_config('lien.retention_purge', 'on', true)`);
        const [before] = await runner.manager.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM report_delta',
        );
        await runner.query('DELETE FROM parents WHERE id = $1', [subject.parent.id]);
        const [after] = await runner.manager.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM report_delta',
        );
        await runner.rollbackTransaction();
        return after!.n - before!.n;
      } finally {
        await runner.release();
      }
    };
    const migration = new RetentionPurgeKeepsRollups1763800700000();
    expect(MIGRATIONS).toContain(RetentionPurgeKeepsRollups1763800700000);
    expect(await deltasOfPurgeDelete()).toBe(0);
    const runner = dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await deltasOfPurgeDelete()).toBeGreaterThan(0);
    } finally {
      await migration.up(runner);
      await runner.release();
    }
    expect(await deltasOfPurgeDelete()).toBe(0);
  });

  it('runs in the worker: its scheduler purges', async () => {
    const subject = await followUp(dataSource, organisations[1]!, before(CUTOFF, 3));
    const worker = await createTestWorker(environment);
    try {
      await runScheduledJob(worker, 'maintenance.purge');
      expect(await rowsOf(dataSource, subject)).toEqual(NOTHING);
    } finally {
      await worker.close();
    }
  });
});
