import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EmailMessageEntity } from './email-message.entity.js';

/** The built-in email outbox's reads (development and demos only: see NotificationsDevModule). */
@Injectable()
export class EmailOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first: the messages addressed to `toAddress`, or every message when it is null (platform admin). */
  list(filter: { toAddress: string | null }, limit: number): Promise<EmailMessageEntity[]> {
    return this.dataSource.getRepository(EmailMessageEntity).find({
      where: filter.toAddress === null ? {} : { toAddress: filter.toAddress.trim().toLowerCase() },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }
}
