import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SmsKind } from '@lien/shared';
import { DevSmsEntity } from './dev-sms.entity.js';

/** A message the built-in provider wrote (development and demos only). */
export interface DevOutboxRow {
  id: string;
  smsMessageId: string;
  parentId: string | null;
  kind: SmsKind | null;
  toPhone: string;
  sender: string;
  body: string;
  createdAt: Date;
}

/**
 * The built-in SMS outbox (`dev_sms_outbox`, development and demos only): what the built-in provider "sends",
 * and the console's list of it.
 */
@Injectable()
export class DevOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes a message; its row id. */
  async insert(message: {
    organisationId: string;
    smsMessageId: string;
    toPhone: string;
    sender: string;
    body: string;
  }): Promise<string | null> {
    const inserted = await this.dataSource.manager.insert(DevSmsEntity, message);
    return (inserted.identifiers[0] as { id?: string } | undefined)?.id ?? null;
  }

  /** The messages written for one outbox row. */
  ofMessage(smsMessageId: string): Promise<DevSmsEntity[]> {
    return this.dataSource.manager.find(DevSmsEntity, { where: { smsMessageId } });
  }

  /** The built-in provider's messages of one organisation, newest first (the dev SMS outbox). */
  async list(scope: { organisationId: string }, limit: number): Promise<DevOutboxRow[]> {
    const rows = await this.dataSource.query<
      Array<{
        id: string;
        sms_message_id: string;
        parent_id: string | null;
        kind: SmsKind | null;
        to_phone: string;
        sender: string;
        body: string;
        created_at: Date;
      }>
    >(
      `SELECT d.id, d.sms_message_id, s.parent_id, CASE WHEN s.page_id IS NULL THEN s.kind END AS kind, d.to_phone, d.sender, d.body, d.created_at
       FROM dev_sms_outbox d LEFT JOIN sms_messages s ON s.id = d.sms_message_id AND s.organisation_id = d.organisation_id
       WHERE d.organisation_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
      [scope.organisationId, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      smsMessageId: row.sms_message_id,
      parentId: row.parent_id,
      kind: row.kind,
      toPhone: row.to_phone,
      sender: row.sender,
      body: row.body,
      createdAt: new Date(row.created_at),
    }));
  }
}
