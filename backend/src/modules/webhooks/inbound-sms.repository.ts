import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The record of inbound Twilio messages already acted on (see InboundSmsEntity). */
@Injectable()
export class InboundSmsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records a MessageSid; false when it was already there (a replay: act on nothing). */
  async claim(messageSid: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `INSERT INTO twilio_inbound_messages (message_sid) VALUES ($1) ON CONFLICT (message_sid) DO NOTHING RETURNING message_sid`,
      [messageSid],
    );
    return rows.length > 0;
  }

  /** Gives a sid back when acting on it failed, so that Twilio's retry of the same message is processed. */
  async release(messageSid: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM twilio_inbound_messages WHERE message_sid = $1`, [messageSid]);
  }
}
