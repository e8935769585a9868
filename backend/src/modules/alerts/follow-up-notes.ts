import type { AlertEventType, SystemAlertEventType } from '@lien/shared';
import type { FieldEncryption } from '../../common/crypto/field-encryption.service.js';

type EventType = AlertEventType | SystemAlertEventType;

/** Where an event's free-text note sits in its API payload: `text` for a note event, `note` for the others. */
export function noteKeyOf(type: EventType): 'text' | 'note' {
  return type === 'note' ? 'text' : 'note';
}

/**
 * Splits the free-text note (health data about a parent) off an event's payload, encrypted like names: the
 * stored payload keeps ids, statuses and outcomes only.
 */
export function sealNote(
  type: EventType,
  payload: Record<string, unknown>,
  encryption: FieldEncryption,
): { payload: Record<string, unknown>; noteEnc: string | null } {
  const key = noteKeyOf(type);
  const { [key]: note, ...rest } = payload;
  if (note === undefined) return { payload, noteEnc: null };
  if (note === null) return { payload: rest, noteEnc: null };
  return {
    payload: rest,
    noteEnc: encryption.encrypt(typeof note === 'string' ? note : JSON.stringify(note)),
  };
}

/** The payload as the API shows it: the decrypted note back in its place (a row not yet backfilled as is). */
export function openPayload(
  event: { type: EventType; payload: Record<string, unknown>; noteEnc: string | null },
  encryption: FieldEncryption,
): Record<string, unknown> {
  if (event.noteEnc === null) return event.payload;
  return { ...event.payload, [noteKeyOf(event.type)]: encryption.decrypt(event.noteEnc) };
}
