import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import {
  ALERT_SEVERITY_RANK,
  ALERT_STATUSES,
  type AlertEventType,
  type AlertListParentName,
  type AlertSeverity,
  type AlertStatus,
  type SystemAlertEventType,
} from '@lien/shared';
import { PreparedStatement } from '../../common/prepared-statement.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ParentEntity } from '../parents/parent.entity.js';
import { ReferralResourceEntity } from '../referrals/referral-resource.entity.js';
import { ContactRequestEntity } from '../screening/contact-request.entity.js';
import { ResponseEntity } from '../questionnaire/response.entity.js';
import { SmsMessageEntity } from '../sms/sms-message.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { AlertEntity } from './alert.entity.js';
import { FollowUpEventEntity } from './follow-up-event.entity.js';

export interface AlertListFilters {
  statuses: AlertStatus[];
  severities: AlertSeverity[] | null;
  /** A user id, "none" (unassigned) or null (anyone). */
  assignee: string | null;
  overdue: boolean | null;
  now: Date;
  offset: number;
  limit: number;
  /** The reader: their own overdue alerts come first. Absent or null: overdue ones first, whoever holds them. */
  me?: string | null;
}

/** What the dashboard row shows beside the alert: the parent's role and encrypted names, the latest answer, the assignee. */
export interface AlertListContext {
  parents: Map<string, Pick<ParentEntity, 'id' | 'role' | 'firstNameEnc' | 'lastNameEnc'>>;
  latestResponses: Map<string, { wave: string; score: number; band: ResponseEntity['band'] }>;
  assigneeNames: Map<string, string>;
}

/** A deadline has passed with its step not done (the same rule as isOverdue in alert-rules.ts). */
const OVERDUE =
  "(alert.status <> 'closed' AND ((alert.acknowledgedAt IS NULL AND alert.acknowledgeDueAt < :now) OR (alert.firstContactAt IS NULL AND alert.contactDueAt < :now)))";

const SEVERITY_BY_RANK = Object.fromEntries(
  Object.entries(ALERT_SEVERITY_RANK).map(([severity, rank]) => [rank, severity]),
) as Record<number, AlertSeverity | undefined>;

function isAllActive(statuses: readonly AlertStatus[]): boolean {
  const wanted = new Set(statuses);
  return ALERT_STATUSES.every((status) => (status === 'closed' ? !wanted.has(status) : wanted.has(status)));
}

/** A new open alert, with what goes with its creation. */
export interface NewOpenAlert {
  alert: Pick<
    AlertEntity,
    | 'id'
    | 'organisationId'
    | 'parentId'
    | 'contactRequestId'
    | 'severity'
    | 'severityRank'
    | 'reasons'
    | 'assigneeId'
    | 'acknowledgeDueAt'
    | 'contactDueAt'
    | 'createdAt'
  >;
  /** Payload of its "created" follow-up event. */
  event: Record<string, unknown>;
  /** Metadata of its audit event (no actor: the rules raise it). */
  audit: Record<string, unknown>;
  /** The response that caused it, linked to it in the same statement. */
  responseId: string | null;
}

const CREATE_OPEN_ALERT = new PreparedStatement(
  'alerts_create_open',
  `WITH created AS (
     INSERT INTO alerts (id, organisation_id, parent_id, severity, severity_rank, reasons, status, assignee_id,
                         acknowledge_due_at, contact_due_at, created_at, updated_at, contact_request_id)
     VALUES ($1, $2, $3, $4, $5, $6::varchar[], 'open', $7, $8, $9, $10, $10, $14)
     ON CONFLICT DO NOTHING
     RETURNING id, organisation_id, parent_id
   ), event AS (
     INSERT INTO follow_up_events (organisation_id, alert_id, parent_id, actor_id, type, payload, created_at)
     SELECT organisation_id, id, parent_id, NULL, 'created', $11::jsonb, $10 FROM created
   ), audit AS (
     INSERT INTO audit_events (organisation_id, actor_id, action, target_type, target_id, metadata)
     SELECT organisation_id, NULL, 'alert.create', 'alert', id, $12::jsonb FROM created
   ), linked AS (
     UPDATE responses SET alert_id = created.id FROM created
      WHERE responses.id = $13 AND responses.organisation_id = created.organisation_id
   )
   SELECT id FROM created`,
);

/** A follow-up event whose note is still plaintext (written before notes were encrypted). */
export interface PlaintextNoteRow {
  id: string;
  type: AlertEventType | SystemAlertEventType;
  payload: Record<string, unknown>;
}

/** The alerts' only door to the database. Every tenant method takes the organisation id. */
@Injectable()
export class AlertsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /**
   * Opens an alert in one statement with its "created" event, its audit event and the link from the response that
   * caused it. Returns false, having written nothing, when the parent already has an open alert (the partial
   * unique index alerts_one_open_per_parent; a concurrent transaction's insert is waited for): merge into it then.
   */
  async createOpenAlert(manager: EntityManager, created: NewOpenAlert): Promise<boolean> {
    const { alert } = created;
    const { rowCount } = await CREATE_OPEN_ALERT.run(manager, [
      alert.id,
      alert.organisationId,
      alert.parentId,
      alert.severity,
      alert.severityRank,
      alert.reasons,
      alert.assigneeId,
      alert.acknowledgeDueAt,
      alert.contactDueAt,
      alert.createdAt,
      JSON.stringify(created.event),
      JSON.stringify(created.audit),
      created.responseId,
      alert.contactRequestId,
    ]);
    return rowCount > 0;
  }

  findById(id: string, organisationId: string, manager?: EntityManager): Promise<AlertEntity | null> {
    return this.manager(manager).findOneBy(AlertEntity, { id, organisationId });
  }

  /** The alert a request names, row-locked until the transaction ends; another organisation's reads as null. */
  lockById(organisationId: string, manager: EntityManager, id: string): Promise<AlertEntity | null> {
    return this.lockQuery(manager, id)
      .andWhere('alert.organisationId = :organisationId', { organisationId })
      .getOne();
  }

  /**
   * The alert of a deadline job, row-locked until the transaction ends. No organisation: the job acts on the id
   * its own queue gave it, not on a caller's request.
   */
  lockForJob(manager: EntityManager, id: string): Promise<AlertEntity | null> {
    return this.lockQuery(manager, id).getOne();
  }

  private lockQuery(manager: EntityManager, id: string): SelectQueryBuilder<AlertEntity> {
    return manager
      .createQueryBuilder(AlertEntity, 'alert')
      .setLock('pessimistic_write')
      .where('alert.id = :id', { id });
  }

  /**
   * Writes these columns of an alert this transaction holds locked (lockById, lockOpenOfParent or lockForJob,
   * which checked its organisation where a request asked): keyed by the id alone, as the lock was taken.
   */
  async update(manager: EntityManager, alertId: string, changes: Partial<AlertEntity>): Promise<void> {
    await manager.update(AlertEntity, { id: alertId }, changes);
  }

  /**
   * The deadline reconciler's page of every organisation's alerts, by id after `after`: open, never escalated,
   * with a step undone whose deadline falls by `horizon`. No organisation: the reconciler is the system's job.
   */
  pendingDeadlinesForJob(horizon: Date, after: string, limit: number): Promise<AlertEntity[]> {
    return this.dataSource
      .getRepository(AlertEntity)
      .createQueryBuilder('alert')
      .where("alert.status <> 'closed' AND alert.escalatedAt IS NULL")
      .andWhere(
        '((alert.acknowledgedAt IS NULL AND alert.acknowledgeDueAt <= :horizon) OR (alert.firstContactAt IS NULL AND alert.contactDueAt <= :horizon))',
        { horizon },
      )
      .andWhere('alert.id > :after', { after })
      .orderBy('alert.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** A merged answer points at the open alert it joined (a new alert is linked as it is created). */
  async linkResponse(manager: EntityManager, responseId: string, alertId: string): Promise<void> {
    await manager.update(ResponseEntity, { id: responseId }, { alertId });
  }

  /** The parent's open alert (one at most: alerts_one_open_per_parent), row-locked until the transaction ends. */
  lockOpenOfParent(
    organisationId: string,
    manager: EntityManager,
    parentId: string,
  ): Promise<AlertEntity | null> {
    return manager
      .createQueryBuilder(AlertEntity, 'alert')
      .setLock('pessimistic_write')
      .where(
        'alert.parentId = :parentId AND alert.organisationId = :organisationId AND alert.status <> :closed',
        { parentId, organisationId, closed: 'closed' },
      )
      .getOne();
  }

  /** The dashboard page: severity first, then the contact deadline (index alerts_dashboard). */
  async list(
    organisationId: string,
    filters: AlertListFilters,
  ): Promise<{ items: AlertEntity[]; counts: Record<AlertSeverity, number> }> {
    const [items, rows] = await Promise.all([
      this.pageQuery(organisationId, filters).getMany(),
      this.countQuery(organisationId, filters).getRawMany<{ rank: number; count: number }>(),
    ]);
    const counts: Record<AlertSeverity, number> = { urgent: 0, high: 0, moderate: 0, low: 0 };
    for (const row of rows) {
      const severity = SEVERITY_BY_RANK[Number(row.rank)];
      if (severity) counts[severity] = Number(row.count);
    }
    return { items, counts };
  }

  /**
   * The page of the dashboard (public so the bench can EXPLAIN the exact SQL): the reader's own overdue alerts,
   * then the other overdue ones, then the rest; in each, severity first, then the contact deadline.
   */
  pageQuery(organisationId: string, filters: AlertListFilters): SelectQueryBuilder<AlertEntity> {
    return this.filtered(organisationId, filters, true)
      .addSelect(
        `CASE WHEN ${OVERDUE} THEN (CASE WHEN alert.assigneeId = :me THEN 0 ELSE 1 END) ELSE 2 END`,
        'overdue_group',
      )
      .setParameters({ now: filters.now, me: filters.me ?? null })
      .orderBy('overdue_group', 'ASC')
      .addOrderBy('alert.severityRank', 'ASC')
      .addOrderBy('alert.contactDueAt', 'ASC')
      .addOrderBy('alert.id', 'ASC')
      .offset(filters.offset)
      .limit(filters.limit);
  }

  /** Counts per severity rank with the same filters except severity (the rank is in the indexes: index-only scans). */
  countQuery(organisationId: string, filters: AlertListFilters): SelectQueryBuilder<AlertEntity> {
    return this.filtered(organisationId, filters, false)
      .select('alert.severityRank', 'rank')
      .addSelect('COUNT(*)::int', 'count')
      .groupBy('alert.severityRank');
  }

  private filtered(
    organisationId: string,
    filters: AlertListFilters,
    withSeverity: boolean,
  ): SelectQueryBuilder<AlertEntity> {
    const query = this.dataSource
      .getRepository(AlertEntity)
      .createQueryBuilder('alert')
      .where('alert.organisationId = :organisationId', { organisationId });
    // "Every status but closed" is said the way the partial index alerts_dashboard_active is defined.
    if (isAllActive(filters.statuses)) query.andWhere("alert.status <> 'closed'");
    else query.andWhere('alert.status IN (:...statuses)', { statuses: filters.statuses });
    if (withSeverity && filters.severities) {
      query.andWhere('alert.severityRank IN (:...ranks)', {
        ranks: filters.severities.map((severity) => ALERT_SEVERITY_RANK[severity]),
      });
    }
    if (filters.assignee === 'none') query.andWhere('alert.assigneeId IS NULL');
    else if (filters.assignee) query.andWhere('alert.assigneeId = :assignee', { assignee: filters.assignee });
    if (filters.overdue !== null)
      query.andWhere(filters.overdue ? OVERDUE : `NOT ${OVERDUE}`, { now: filters.now });
    return query;
  }

  /** What the dashboard rows of these alerts show beside them (three queries by primary keys and indexes). */
  async listContext(organisationId: string, alerts: readonly AlertEntity[]): Promise<AlertListContext> {
    const parentIds = [...new Set(alerts.flatMap((alert) => (alert.parentId ? [alert.parentId] : [])))];
    const assigneeIds = [...new Set(alerts.flatMap((alert) => (alert.assigneeId ? [alert.assigneeId] : [])))];
    const alertIds = alerts.map((alert) => alert.id);
    const [parents, responses, assigneeNames] = await Promise.all([
      parentIds.length
        ? this.dataSource.getRepository(ParentEntity).find({
            where: { organisationId, id: In(parentIds) },
            select: { id: true, role: true, firstNameEnc: true, lastNameEnc: true },
          })
        : [],
      // Through the parents' index (responses have none on alert_id); a parent has a handful of answers.
      parentIds.length
        ? this.dataSource.query<
            { alert_id: string; wave: string; score: number; band: ResponseEntity['band'] }[]
          >(
            `SELECT DISTINCT ON (alert_id) alert_id, wave, score, band
               FROM responses
              WHERE parent_id = ANY($3::uuid[]) AND organisation_id = $1 AND alert_id = ANY($2::uuid[])
              ORDER BY alert_id, created_at DESC, id DESC`,
            [organisationId, alertIds, parentIds],
          )
        : [],
      this.userNames(organisationId, assigneeIds),
    ]);
    return {
      parents: new Map(parents.map((parent) => [parent.id, parent])),
      latestResponses: new Map(
        responses.map((row) => [row.alert_id, { wave: row.wave, score: Number(row.score), band: row.band }]),
      ),
      assigneeNames,
    };
  }

  /** Display names of the organisation's users among these ids (others, e.g. a partner key's id, are left out). */
  async userNames(organisationId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const users = await this.dataSource.getRepository(UserEntity).find({
      where: { organisationId, id: In([...ids]) },
      select: { id: true, displayName: true },
    });
    return new Map(users.map((user) => [user.id, user.displayName]));
  }

  /** An active user of the organisation (an assignee, a referent); null for anyone else. */
  activeUser(
    organisationId: string,
    manager: EntityManager,
    userId: string,
  ): Promise<Pick<UserEntity, 'id' | 'role' | 'email'> | null> {
    return manager.findOne(UserEntity, {
      where: { id: userId, organisationId, active: true },
      select: { id: true, role: true, email: true },
    });
  }

  /** The organisation's active admins, whom a missed deadline is escalated to. */
  activeAdmins(organisationId: string, manager: EntityManager): Promise<Pick<UserEntity, 'id' | 'email'>[]> {
    return manager.find(UserEntity, {
      where: { organisationId, role: In(['org_admin']), active: true },
      select: { id: true, email: true },
    });
  }

  /** The organisation an event is recorded in (its settings and time zone), in the caller's transaction. */
  organisation(organisationId: string, manager: EntityManager): Promise<OrganisationEntity> {
    return manager.findOneByOrFail(OrganisationEntity, { id: organisationId });
  }

  /** How the organisation's dashboard names parents (settings.alertListParentName; initials when unset). */
  async alertListParentName(organisationId: string): Promise<AlertListParentName> {
    const organisation = await this.dataSource
      .getRepository(OrganisationEntity)
      .findOne({ where: { id: organisationId }, select: { id: true, settings: true } });
    return organisation?.settings.alertListParentName === 'full' ? 'full' : 'initials';
  }

  /** The contact request behind a contact-request alert (no identity: that read is separate and audited). */
  findContactRequest(id: string, organisationId: string): Promise<ContactRequestEntity | null> {
    return this.dataSource.getRepository(ContactRequestEntity).findOneBy({ id, organisationId });
  }

  findParent(
    parentId: string,
    organisationId: string,
    manager?: EntityManager,
  ): Promise<ParentEntity | null> {
    return this.manager(manager).findOneBy(ParentEntity, { id: parentId, organisationId });
  }

  /** The other parent of a parent's household (the first enrolled), and whether a questionnaire awaits them. */
  async otherParent(
    parent: Pick<ParentEntity, 'id' | 'organisationId' | 'householdId'>,
  ): Promise<{ id: string; role: ParentEntity['role']; invited: boolean } | null> {
    if (!parent.householdId) return null;
    const rows = await this.dataSource.query<
      Array<{ id: string; role: ParentEntity['role']; invited: boolean }>
    >(
      `SELECT o.id, o.role,
              EXISTS (SELECT 1 FROM invitations i
                       WHERE i.parent_id = o.id AND i.status IN ('planned', 'sent', 'opened')) AS invited
         FROM parents o
        WHERE o.organisation_id = $1 AND o.household_id = $2 AND o.id <> $3
        ORDER BY o.created_at LIMIT 1`,
      [parent.organisationId, parent.householdId, parent.id],
    );
    return rows[0] ?? null;
  }

  responsesOf(alertId: string, organisationId: string): Promise<ResponseEntity[]> {
    return this.dataSource
      .getRepository(ResponseEntity)
      .find({ where: { alertId, organisationId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  smsOfParent(parentId: string, organisationId: string): Promise<SmsMessageEntity[]> {
    return this.dataSource
      .getRepository(SmsMessageEntity)
      .find({ where: { parentId, organisationId }, order: { dueAt: 'ASC', id: 'ASC' } });
  }

  eventsOf(alertId: string, organisationId: string, manager?: EntityManager): Promise<FollowUpEventEntity[]> {
    return this.manager(manager).find(FollowUpEventEntity, {
      where: { alertId, organisationId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Appends an event to an alert's follow-up log, in the caller's transaction; its id. The log is append-only,
   * and a free-text note never goes in the payload: `sealNote` (follow-up-notes.ts) gives it as `noteEnc`.
   */
  async appendEvent(
    manager: EntityManager,
    alert: Pick<AlertEntity, 'id' | 'organisationId' | 'parentId'>,
    event: Pick<FollowUpEventEntity, 'type' | 'actorId' | 'payload' | 'createdAt'> &
      Partial<Pick<FollowUpEventEntity, 'noteEnc'>>,
  ): Promise<string> {
    const inserted = await manager.insert(FollowUpEventEntity, {
      organisationId: alert.organisationId,
      alertId: alert.id,
      parentId: alert.parentId,
      ...event,
    } as QueryDeepPartialEntity<FollowUpEventEntity>);
    return (inserted.identifiers[0] as { id: string }).id;
  }

  /** An event this transaction just appended, as stored (the database's defaults filled in). */
  appendedEvent(manager: EntityManager, eventId: string): Promise<FollowUpEventEntity> {
    return manager.findOneByOrFail(FollowUpEventEntity, { id: eventId });
  }

  /** Whether a parent's follow-up log already records this SMS (a replayed status callback reports it again). */
  async recordsSms(manager: EntityManager, parentId: string, smsMessageId: string): Promise<boolean> {
    const seen = await manager.query<unknown[]>(
      `SELECT 1 FROM follow_up_events WHERE parent_id = $1 AND payload->>'smsMessageId' = $2 LIMIT 1`,
      [parentId, smsMessageId],
    );
    return seen.length > 0;
  }

  /** The invitation of the latest SMS event of an alert (the SMS that did not arrive), or null. */
  async lastSmsInvitation(manager: EntityManager, alertId: string): Promise<string | null> {
    const last = await manager.query<Array<{ invitation_id: string | null }>>(
      `SELECT payload->>'invitationId' AS invitation_id FROM follow_up_events
        WHERE alert_id = $1 AND payload ? 'smsMessageId' ORDER BY created_at DESC LIMIT 1`,
      [alertId],
    );
    return last[0]?.invitation_id ?? null;
  }

  /** Follow-up events still holding a plaintext note (see `FollowUpNotesBackfill`), locked, SKIP LOCKED. */
  plaintextNotes(manager: EntityManager, limit: number): Promise<PlaintextNoteRow[]> {
    return manager.query<PlaintextNoteRow[]>(
      `SELECT id, type, payload FROM follow_up_events
          WHERE note_enc IS NULL
            AND ((type = 'note' AND payload ? 'text') OR (type <> 'note' AND payload ? 'note'))
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  /** Moves notes into `note_enc`: the one write follow-up events allow, and only to this transaction. */
  async sealNotes(
    manager: EntityManager,
    sealed: ReadonlyArray<{ id: string; payload: Record<string, unknown>; noteEnc: string | null }>,
  ): Promise<void> {
    // Follow-up events are append-only; this setting lets this transaction move notes, and nothing else.
    await manager.query(`SET LOCAL lien.notes_backfill = 'on'`);
    for (const event of sealed)
      await manager.query(`UPDATE follow_up_events SET payload = $2, note_enc = $3 WHERE id = $1`, [
        event.id,
        event.payload,
        event.noteEnc,
      ]);
  }

  /** A referral directory entry the organisation sees (its own), or null. */
  referralResource(
    manager: EntityManager,
    id: string,
    organisationId: string,
  ): Promise<Pick<ReferralResourceEntity, 'id' | 'name' | 'kind'> | null> {
    return manager.findOne(ReferralResourceEntity, {
      where: { id, organisationId },
      select: { id: true, name: true, kind: true },
    });
  }

  /** Unreachable contact attempts already recorded on an alert. */
  async unreachableAttempts(
    manager: EntityManager,
    alertId: string,
    organisationId: string,
  ): Promise<number> {
    return manager
      .createQueryBuilder(FollowUpEventEntity, 'event')
      .where('event.alertId = :alertId AND event.organisationId = :organisationId', {
        alertId,
        organisationId,
      })
      .andWhere("event.type = 'contact_attempt' AND event.payload ->> 'outcome' = 'unreachable'")
      .getCount();
  }
}
