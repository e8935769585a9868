import { DataSource } from 'typeorm';
import type { AlertDetail, ParentHistory } from '@lien/shared';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { createTestWorker } from '../../testing/test-app.js';
import { makeAlert, makeAlertParent } from '../../testing/alerts-factories.js';
import { signedBy, stopTestApi } from '../../testing/api-spec.js';
import { startParentsApi, type ParentsApi } from '../../testing/parents-api.js';
import { waitFor } from '../../testing/wait-for.js';
import type { ParentEntity } from '../parents/parent.entity.js';
import type { AlertEntity } from './alert.entity.js';
import { FollowUpNotesBackfill } from './follow-up-notes-backfill.service.js';

/** Everything stored for an event, as text: no column (payload, note_enc, any other) may hold the note. */
async function storedRow(
  dataSource: DataSource,
  eventId: string,
): Promise<{ text: string; noteEnc: string | null }> {
  const [row] = await dataSource.query<{ text: string; note_enc: string | null }[]>(
    `SELECT row_to_json(e)::text AS text, e.note_enc FROM follow_up_events e WHERE e.id = $1`,
    [eventId],
  );
  return { text: row!.text, noteEnc: row!.note_enc };
}

describe('follow-up notes are encrypted at rest and read back transparently', () => {
  let { environment, api: app, dataSource, world } = {} as ParentsApi;
  let parent: ParentEntity;

  beforeAll(async () => {
    ({ environment, api: app, dataSource, world } = await startParentsApi());
    parent = await makeAlertParent(dataSource, environment.config, { organisationId: world.organisation.id });
  });

  afterAll(() => stopTestApi({ environment, api: app }));

  const post = (alertId: string, body: object) =>
    signedBy(app, world.token).post(`/api/alerts/${alertId}/events`).send(body).expect(201);
  const detailOf = async (alertId: string): Promise<AlertDetail> =>
    (await signedBy(app, world.token).get(`/api/alerts/${alertId}`).expect(200)).body as AlertDetail;
  /** An alert on a new parent of the organisation. */
  const newAlert = async () =>
    makeAlert(
      dataSource,
      await makeAlertParent(dataSource, environment.config, { organisationId: world.organisation.id }),
    );
  /** A follow-up event written as before notes were encrypted (plaintext in the payload): its id. */
  const legacyEvent = async (alert: AlertEntity, type: string, payload: object): Promise<string> => {
    const [row] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO follow_up_events (organisation_id, alert_id, parent_id, actor_id, type, payload, created_at)
       VALUES ($1, $2, $3, NULL, $4, $5, now()) RETURNING id`,
      [alert.organisationId, alert.id, alert.parentId, type, JSON.stringify(payload)],
    );
    return row!.id;
  };

  it('stores no plaintext note; the alert detail and the parent’s history show the notes', async () => {
    const alert = await makeAlert(dataSource, parent);
    const notes = {
      note: 'Maman épuisée, idées noires évoquées',
      contact: 'Joint au téléphone, pleure beaucoup',
      referral: 'Adressée au CMP, RDV mardi',
    };
    await post(alert.id, { type: 'acknowledge' });
    const note = await post(alert.id, { type: 'note', text: notes.note });
    const contact = await post(alert.id, {
      type: 'contact_attempt',
      outcome: 'reached',
      channel: 'phone',
      note: notes.contact,
    });
    const referral = await post(alert.id, {
      type: 'referral',
      to: 'perinatal_psychiatry_unit',
      note: notes.referral,
    });
    // The answer to the write shows the note as written.
    expect((note.body as { event: { payload: { text: string } } }).event.payload.text).toBe(notes.note);

    const encryption = new FieldEncryption(environment.config);
    for (const [response, text] of [
      [note, notes.note],
      [contact, notes.contact],
      [referral, notes.referral],
    ] as const) {
      const stored = await storedRow(dataSource, (response.body as { event: { id: string } }).event.id);
      expect(stored.text).not.toContain(text);
      expect(stored.text).not.toMatch(/épuisée|pleure|CMP/);
      expect(stored.noteEnc).not.toBeNull();
      expect(encryption.decrypt(stored.noteEnc!)).toBe(text);
    }

    const detail = await detailOf(alert.id);
    const byType = new Map(detail.events.map((event) => [event.type, event.payload]));
    expect(byType.get('note')).toMatchObject({ text: notes.note });
    expect(byType.get('contact_attempt')).toMatchObject({ note: notes.contact, outcome: 'reached' });
    expect(byType.get('referral')).toMatchObject({
      note: notes.referral,
      referredTo: 'perinatal_psychiatry_unit',
    });
    expect(byType.get('acknowledge')).not.toHaveProperty('note');

    const history = (await signedBy(app, world.token).get(`/api/parents/${parent.id}/history`).expect(200))
      .body as ParentHistory;
    const noted = history.events.flatMap((event) => (event.note ? [[event.kind, event.note]] : []));
    expect(noted).toEqual([
      ['note', notes.note],
      ['contact_attempt', notes.contact],
      ['referral', notes.referral],
    ]);
  });

  it('the backfill encrypts plaintext notes stored before, once, and reads stay the same', async () => {
    const alert = await newAlert();
    const noteId = await legacyEvent(alert, 'note', {
      from: 'open',
      to: 'open',
      text: 'Ancienne note en clair',
    });
    const closeId = await legacyEvent(alert, 'close', {
      from: 'open',
      to: 'closed',
      outcome: 'declined',
      note: 'Refus net',
    });
    const plainId = await legacyEvent(alert, 'acknowledge', { from: 'open', to: 'acknowledged' });

    const before = await detailOf(alert.id);

    const backfill = app.get(FollowUpNotesBackfill);
    expect(await backfill.run()).toBeGreaterThanOrEqual(2);
    expect(await backfill.run()).toBe(0);

    expect((await storedRow(dataSource, noteId)).text).not.toContain('Ancienne note');
    expect((await storedRow(dataSource, closeId)).text).not.toContain('Refus net');
    expect((await storedRow(dataSource, plainId)).noteEnc).toBeNull();
    const [leftover] = await dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM follow_up_events WHERE payload ? 'text' OR payload ? 'note'`,
    );
    expect(leftover!.count).toBe(0);

    // Still append-only outside the backfill, and inside it for anything but moving a note.
    await expect(
      dataSource.query(`UPDATE follow_up_events SET payload = '{}' WHERE id = $1`, [plainId]),
    ).rejects.toThrow(/append-only/);
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL lien.notes_backfill = 'on'`);
        await manager.query(`UPDATE follow_up_events SET type = 'close' WHERE id = $1`, [plainId]);
      }),
    ).rejects.toThrow(/append-only/);
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL lien.notes_backfill = 'on'`);
        await manager.query(`UPDATE follow_up_events SET note_enc = 'x' WHERE id = $1`, [noteId]);
      }),
    ).rejects.toThrow(/append-only/);

    const after = await detailOf(alert.id);
    expect(after.events).toEqual(before.events);
    expect(after.events.find((event) => event.id === noteId)?.payload).toMatchObject({
      text: 'Ancienne note en clair',
    });
    expect(after.events.find((event) => event.id === closeId)?.payload).toMatchObject({
      note: 'Refus net',
      outcome: 'declined',
    });
  });

  it('the worker runs the backfill when it starts', async () => {
    const noteId = await legacyEvent(await newAlert(), 'note', { text: 'Note laissée en clair' });
    const worker = await createTestWorker(environment);
    try {
      await waitFor(
        'the worker to encrypt the note',
        async () => (await storedRow(dataSource, noteId)).noteEnc !== null,
        10_000,
      );
      expect((await storedRow(dataSource, noteId)).text).not.toContain('laissée en clair');
    } finally {
      await worker.close();
    }
  });
});
