import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AlertEntity } from '../alerts/alert.entity.js';
import { FollowUpEventEntity } from '../alerts/follow-up-event.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { PageEntity } from './page.entity.js';

/** A page as it is written, before the database gives it its id. */
export type NewPage = Pick<
  PageEntity,
  | 'organisationId'
  | 'alertId'
  | 'step'
  | 'recipientUserId'
  | 'channel'
  | 'status'
  | 'phoneEnc'
  | 'sentAt'
  | 'createdAt'
>;

/** The last page of an alert still waiting for someone, with what its escalation delay needs. */
export interface UnacknowledgedPageRow {
  alert_id: string;
  step: number;
  created_at: Date;
  ack_minutes: number | null;
}

/**
 * The pages' only door to the database, and paging's reads and writes of the alert it pages about: the alert row
 * and its follow-up log (the rota has its own door, OnCallRotaRepository). Those live here rather than in
 * AlertsRepository: AlertsModule imports PagingModule (urgent alerts page), so paging cannot inject the alerts'
 * repository without a module cycle, and a feature never imports another's repository.
 * Methods keyed by a page or an alert id serve jobs and SMS outcomes, which act on the id their own queue gave them.
 */
@Injectable()
export class PagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The organisation's active admins, the chain's second part (e-mail order). */
  activeAdmins(organisationId: string, manager: EntityManager): Promise<Pick<UserEntity, 'id' | 'email'>[]> {
    return manager.find(UserEntity, {
      where: { organisationId, role: In(['org_admin']), active: true },
      select: { id: true, email: true },
      order: { email: 'ASC' },
    });
  }

  /**
   * The alert of an escalation job, row-locked until the transaction ends: the escalation and the console's
   * acknowledgement take turns on it. No organisation: the job acts on the id its own queue gave it.
   */
  lockAlertForJob(manager: EntityManager, alertId: string): Promise<AlertEntity | null> {
    return manager
      .createQueryBuilder(AlertEntity, 'alert')
      .setLock('pessimistic_write')
      .where('alert.id = :id', { id: alertId })
      .getOne();
  }

  findAlert(manager: EntityManager, alertId: string): Promise<AlertEntity | null> {
    return manager.findOneBy(AlertEntity, { id: alertId });
  }

  findAlertOrFail(manager: EntityManager, alertId: string): Promise<AlertEntity> {
    return manager.findOneByOrFail(AlertEntity, { id: alertId });
  }

  /** A page's link acknowledged the alert: an open one moves to `acknowledged`, a later status stays. */
  async acknowledgeAlert(
    manager: EntityManager,
    alert: Pick<AlertEntity, 'id' | 'status'>,
    at: Date,
  ): Promise<void> {
    await manager.update(
      AlertEntity,
      { id: alert.id },
      { acknowledgedAt: at, updatedAt: at, ...(alert.status === 'open' ? { status: 'acknowledged' } : {}) },
    );
  }

  /**
   * Appends a page's event to the alert's follow-up log, in the caller's transaction (the same append-only
   * write as AlertsRepository.appendEvent; a page's events carry no free-text note).
   */
  async appendAlertEvent(
    manager: EntityManager,
    alert: Pick<AlertEntity, 'id' | 'organisationId' | 'parentId'>,
    event: Pick<FollowUpEventEntity, 'type' | 'actorId' | 'payload' | 'createdAt'>,
  ): Promise<void> {
    await manager.insert(FollowUpEventEntity, {
      organisationId: alert.organisationId,
      alertId: alert.id,
      parentId: alert.parentId,
      ...event,
    } as QueryDeepPartialEntity<FollowUpEventEntity>);
  }

  findById(manager: EntityManager, id: string): Promise<PageEntity | null> {
    return manager.findOneBy(PageEntity, { id });
  }

  findStep(manager: EntityManager, alertId: string, step: number): Promise<PageEntity | null> {
    return manager.findOneBy(PageEntity, { alertId, step });
  }

  async anyAcknowledged(manager: EntityManager, alertId: string): Promise<boolean> {
    return (await manager.count(PageEntity, { where: { alertId, status: 'acknowledged' } })) > 0;
  }

  /** Writes a page; its id. */
  async insert(manager: EntityManager, page: NewPage): Promise<string> {
    const inserted = await manager.insert(PageEntity, page);
    return (inserted.identifiers[0] as { id: string }).id;
  }

  /** The page's SMS was accepted: a pending page is sent. */
  async markSent(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.update(PageEntity, { id, status: 'pending' }, { status: 'sent', sentAt: at });
  }

  /** The page's SMS failed for good: a page not yet acknowledged has failed. */
  async markFailed(manager: EntityManager, id: string): Promise<void> {
    await manager.update(PageEntity, { id, status: In(['pending', 'sent']) }, { status: 'failed' });
  }

  /** The page one of its links (`page_links`, one per SMS attempt) belongs to, row-locked; by the link's hash. */
  lockByLinkHash(manager: EntityManager, tokenHash: string): Promise<PageEntity | null> {
    return manager
      .createQueryBuilder(PageEntity, 'page')
      .setLock('pessimistic_write')
      .where('page.id = (SELECT link.page_id FROM page_links link WHERE link.token_hash = :hash)', {
        hash: tokenHash,
      })
      .getOne();
  }

  async acknowledge(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.update(PageEntity, { id }, { status: 'acknowledged', acknowledgedAt: at });
  }

  /** The last page of every open, unacknowledged paged alert (at most 500 a pass), with its rota's delay. */
  unacknowledged(): Promise<UnacknowledgedPageRow[]> {
    return this.dataSource.query<UnacknowledgedPageRow[]>(
      `SELECT DISTINCT ON (p.alert_id) p.alert_id, p.step, p.created_at, r.ack_minutes
         FROM pages p
         JOIN alerts a ON a.id = p.alert_id
         LEFT JOIN on_call_rotas r ON r.organisation_id = p.organisation_id
        WHERE a.status <> 'closed' AND a.acknowledged_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM pages q WHERE q.alert_id = p.alert_id AND q.status = 'acknowledged')
        ORDER BY p.alert_id, p.step DESC
        LIMIT 500`,
    );
  }
}
