import { Injectable } from '@nestjs/common';
import { DataSource, LessThan, type EntityManager } from 'typeorm';
import { EmailMessageEntity } from './email-message.entity.js';

export type NewEmailMessage = Pick<
  EmailMessageEntity,
  'organisationId' | 'toAddress' | 'subject' | 'body' | 'status'
>;

/** The email rows' only door: written by MailService, sent by the worker, listed by the built-in outbox. */
@Injectable()
export class EmailMessagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes one row, in the caller's transaction when `manager` is given; answers its id. */
  async insert(message: NewEmailMessage, manager?: EntityManager): Promise<string> {
    const result = await (manager ?? this.dataSource.manager).insert(EmailMessageEntity, message);
    const id = (result.identifiers[0] as { id: string } | undefined)?.id;
    if (!id) throw new Error('email_messages insert returned no id');
    return id;
  }

  findById(id: string): Promise<EmailMessageEntity | null> {
    return this.dataSource.getRepository(EmailMessageEntity).findOneBy({ id });
  }

  /** Moves a still pending row on (a row another worker already moved stays as it is). */
  async moveOnFromPending(
    id: string,
    changes: { status: Exclude<EmailMessageEntity['status'], 'pending'>; sentAt?: Date },
  ): Promise<void> {
    await this.dataSource.getRepository(EmailMessageEntity).update({ id, status: 'pending' }, changes);
  }

  async countAttempt(id: string): Promise<void> {
    await this.dataSource.getRepository(EmailMessageEntity).increment({ id }, 'attempts', 1);
  }

  /** Oldest first: ids of rows still pending since before `before` (their job was lost). */
  async pendingSince(before: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.getRepository(EmailMessageEntity).find({
      select: { id: true },
      where: { status: 'pending', createdAt: LessThan(before) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
    return rows.map((row) => row.id);
  }

  /**
   * The built-in outbox (development and demos only: see NotificationsDevModule), newest first: the messages
   * addressed to `toAddress`, or every message when it is null (platform admin).
   */
  listOutbox(filter: { toAddress: string | null }, limit: number): Promise<EmailMessageEntity[]> {
    return this.dataSource.getRepository(EmailMessageEntity).find({
      where: filter.toAddress === null ? {} : { toAddress: filter.toAddress.trim().toLowerCase() },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }
}
