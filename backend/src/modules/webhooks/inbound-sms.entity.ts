import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Inbound Twilio messages already acted on, by MessageSid: a replayed webhook (Twilio's retry, or a copy of a
 * signed request) changes nothing. Only the sid and when it came: no number, no text.
 */
@Entity('twilio_inbound_messages')
export class InboundSmsEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) messageSid!: string;
  @CreateDateColumn({ type: 'timestamptz' }) receivedAt!: Date;
}
