import { Injectable } from '@nestjs/common';
import { DataSource, In, Not, type EntityManager } from 'typeorm';
import type { EpdsBand, InvitationStatus, ParentStatus, SmsKind, SmsStatus } from '@lien/shared';
import { PreparedStatement } from '../../common/prepared-statement.js';
import { Batcher } from '../../common/batcher.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { ParentEntity } from './parent.entity.js';

export interface ParentSearch {
  phoneIndex?: string;
  /** Exact first or last name (blind index of the folded name). */
  nameIndex?: string;
  /** Start of a first or last name (keyed prefix index, see name-prefixes.ts); searched with nameIndex. */
  namePrefix?: string;
  status?: ParentStatus;
}

export interface NextInvitationRow {
  invitationId: string;
  wave: string;
  dueAt: Date;
  deferredFrom: Date | null;
}

export interface InvitationRow {
  id: string;
  wave: string;
  status: InvitationStatus;
  dueAt: Date;
  deferredFrom: Date | null;
  sentAt: Date | null;
  expiresAt: Date | null;
  remindersSent: number;
  completedAt: Date | null;
  sms: SmsRow[];
}

export interface SmsRow {
  id: string;
  invitationId: string;
  kind: SmsKind;
  status: SmsStatus;
  dueAt: Date;
  deferredFrom: Date | null;
  sentAt: Date | null;
  attempts: number;
  segments: number | null;
  encoding: string | null;
  errorCode: string | null;
}

const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

/** When an invitation or one of its SMS is due, was first due (before a deferral), and went out. */
function sendTimes(row: Record<string, unknown>): {
  dueAt: Date;
  deferredFrom: Date | null;
  sentAt: Date | null;
} {
  return {
    dueAt: new Date(row.due_at as string),
    deferredFrom: date(row.deferred_from as string | null),
    sentAt: date(row.sent_at as string | null),
  };
}

/** A parent row as enrolment writes it. */
export interface NewParent {
  organisationId: string;
  firstNameEnc: string;
  lastNameEnc: string;
  phoneEnc: string;
  phoneIndex: string;
  firstNameIndex: string;
  lastNameIndex: string;
  /** Keyed indexes of the names' prefixes (name-prefixes.ts). */
  namePrefixes: string[];
  role: ParentEntity['role'];
  language: string;
  birthDate: string | null;
  expectedTermDate: string | null;
  referentUserId: string | null;
  consentRecordedBy: string;
  consentRecordedAt: Date;
  consentTextVersion: string;
}

export interface PlannedWave {
  wave: string;
  dueAt: Date;
  deferredFrom: Date | null;
}

/** The audit event an enrolment writes with it. */
export interface EnrolmentAudit {
  actorId: string | null;
  ip: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
}

export interface InsertedEnrolment {
  id: string;
  createdAt: Date;
  invitations: Array<{ id: string; wave: string; smsId: string }>;
}

interface Enrolment {
  values: NewParent;
  waves: ReadonlyArray<PlannedWave>;
  audit: EnrolmentAudit;
}

type EnrolmentOutcome = { inserted: InsertedEnrolment | null } | { error: unknown };

/** Enrolments of distinct phones in one statement (see ParentsRepository.insertEnrolments). */
const INSERT_ENROLMENTS = new PreparedStatement(
  'lien_parents_insert_enrolments',
  `WITH v AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::varchar[], $6::varchar[], $7::varchar[],
                              $8::varchar[], $9::varchar[], $10::date[], $11::date[], $12::uuid[], $13::uuid[], $14::timestamptz[],
                              $15::varchar[], $16::uuid[], $17::varchar[], $18::varchar[], $19::jsonb[], $24::text[])
           WITH ORDINALITY AS v(organisation_id, first_name_enc, last_name_enc, phone_enc, phone_index, first_name_index,
                                last_name_index, role, language, birth_date, expected_term_date, referent_user_id,
                                consent_recorded_by, consent_recorded_at, consent_text_version, actor_id, ip, request_id,
                                metadata, name_prefixes, n)
       ), p AS (
         INSERT INTO parents (organisation_id, first_name_enc, last_name_enc, phone_enc, phone_index, first_name_index, last_name_index,
                              role, language, birth_date, expected_term_date, referent_user_id, consent_recorded_by, consent_recorded_at,
                              consent_text_version, status, name_prefixes)
         SELECT v.organisation_id, v.first_name_enc, v.last_name_enc, v.phone_enc, v.phone_index, v.first_name_index, v.last_name_index,
                v.role, v.language, v.birth_date, v.expected_term_date, v.referent_user_id, v.consent_recorded_by,
                v.consent_recorded_at, v.consent_text_version, 'active',
                -- One text per parent (an array of arrays cannot be unnested row by row): the indexes space-separated.
                string_to_array(v.name_prefixes, ' ')
         FROM v
         -- One index probe per enrolment, by phone: a lateral with LIMIT is never turned into a join over all
         -- parents, and OFFSET 0 keeps the organisation index out of the probe (a generic plan without
         -- statistics would otherwise AND it in, reading every parent of the organisation each time).
         LEFT JOIN LATERAL (
           SELECT true AS found FROM (
             SELECT organisation_id, status, birth_date, expected_term_date FROM parents
             WHERE phone_index = v.phone_index OFFSET 0
           ) d
           WHERE d.organisation_id = v.organisation_id AND d.status = 'active'
             AND (
               (v.birth_date IS NOT NULL AND d.birth_date = v.birth_date)
               OR (v.birth_date IS NOT NULL AND d.birth_date IS NULL AND d.expected_term_date BETWEEN v.birth_date - 60 AND v.birth_date + 60)
               OR (v.birth_date IS NULL AND d.birth_date IS NULL AND d.expected_term_date = v.expected_term_date)
             )
           LIMIT 1
         ) duplicate ON true
         WHERE duplicate.found IS NULL
         ORDER BY v.n
         RETURNING id, created_at, organisation_id, phone_index
       ), pv AS (
         -- Phones are distinct within a statement: (organisation, phone) finds each new row's enrolment.
         SELECT p.id, p.created_at, v.n, v.organisation_id, v.consent_recorded_by, v.actor_id, v.ip, v.request_id, v.metadata
         FROM p JOIN v ON v.organisation_id = p.organisation_id AND v.phone_index = p.phone_index
       ), w AS (
         SELECT * FROM unnest($20::int[], $21::text[], $22::timestamptz[], $23::timestamptz[]) WITH ORDINALITY AS t(parent, wave, due_at, deferred_from, n)
       ), i AS (
         INSERT INTO invitations (organisation_id, parent_id, created_by, wave, due_at, deferred_from)
         SELECT pv.organisation_id, pv.id, pv.consent_recorded_by, w.wave, w.due_at, w.deferred_from FROM pv JOIN w ON w.parent = pv.n ORDER BY w.n
         RETURNING id, wave, due_at, deferred_from, parent_id, organisation_id
       ), s AS (
         INSERT INTO sms_messages (organisation_id, parent_id, invitation_id, kind, due_at, deferred_from)
         SELECT i.organisation_id, i.parent_id, i.id, 'invitation', i.due_at, i.deferred_from FROM i
         RETURNING id, invitation_id
       ), a AS (
         INSERT INTO audit_events (organisation_id, actor_id, ip, request_id, action, target_type, target_id, metadata)
         SELECT pv.organisation_id, pv.actor_id, pv.ip, pv.request_id, 'parent.enrol', 'parent', pv.id::text, pv.metadata FROM pv ORDER BY pv.n
       )
       SELECT pv.n, pv.id, pv.created_at, i.id AS invitation_id, i.wave, s.id AS sms_id
       FROM pv LEFT JOIN i ON i.parent_id = pv.id LEFT JOIN s ON s.invitation_id = i.id`,
);

/**
 * The parents table and what the console shows beside a parent. Every method takes the organisation id and
 * filters on it: a parent of another organisation is simply not found.
 */
@Injectable()
export class ParentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  findById(id: string, organisationId: string, manager?: EntityManager): Promise<ParentEntity | null> {
    return this.manager(manager).findOne(ParentEntity, { where: { id, organisationId } });
  }

  /** The encrypted names of the organisation's parents among these ids (others are left out), in one query. */
  namesOf(
    organisationId: string,
    ids: readonly string[],
  ): Promise<Array<Pick<ParentEntity, 'id' | 'firstNameEnc' | 'lastNameEnc'>>> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.manager.find(ParentEntity, {
      where: { organisationId, id: In([...ids]) },
      select: { id: true, firstNameEnc: true, lastNameEnc: true },
    });
  }

  /** Locks the parent for a change (in a transaction). */
  lockById(manager: EntityManager, id: string, organisationId: string): Promise<ParentEntity | null> {
    return manager.findOne(ParentEntity, {
      where: { id, organisationId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  organisation(organisationId: string, manager?: EntityManager): Promise<OrganisationEntity | null> {
    return this.manager(manager).findOne(OrganisationEntity, { where: { id: organisationId } });
  }

  /** Whether a user may be a parent's referent: an active professional or admin of the same organisation. */
  async isReferentCandidate(
    userId: string,
    organisationId: string,
    manager?: EntityManager,
  ): Promise<boolean> {
    const user = await this.manager(manager).findOne(UserEntity, {
      where: { id: userId, organisationId },
      select: { id: true, active: true, role: true },
    });
    return !!user && user.active && (user.role === 'professional' || user.role === 'org_admin');
  }

  /**
   * An active parent of the organisation with this phone and the same birth: same birth date, or (antenatal)
   * the same expected term, or an antenatal record whose term is within 60 days of the given birth date.
   */
  async findDuplicate(
    organisationId: string,
    phoneIndex: string,
    birth: { birthDate: string | null; expectedTermDate: string | null },
    excludeId: string | null,
    manager?: EntityManager,
  ): Promise<string | null> {
    const rows = await this.manager(manager).query<Array<{ id: string }>>(
      `SELECT id FROM parents
       WHERE organisation_id = $1 AND phone_index = $2 AND status = 'active' AND ($5::uuid IS NULL OR id <> $5::uuid)
         AND (
           ($3::date IS NOT NULL AND birth_date = $3::date)
           OR ($3::date IS NOT NULL AND birth_date IS NULL AND expected_term_date BETWEEN $3::date - 60 AND $3::date + 60)
           OR ($3::date IS NULL AND birth_date IS NULL AND expected_term_date = $4::date)
         )
       ORDER BY created_at LIMIT 1`,
      [organisationId, phoneIndex, birth.birthDate, birth.expectedTermDate, excludeId],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Enrolment in one statement (atomic without a transaction, one round trip, prepared once per connection):
   * the parent, unless an active duplicate exists (same rules as `findDuplicate`; the unique index settles a
   * same-birth race); one invitation per planned wave with its first SMS in the outbox; and the audit event.
   * Returns null for a duplicate.
   */
  async insertEnrolment(
    values: NewParent,
    waves: ReadonlyArray<PlannedWave>,
    audit: EnrolmentAudit,
  ): Promise<InsertedEnrolment | null> {
    const outcome = await this.enrolments.submit({ values, waves, audit });
    if ('error' in outcome) throw outcome.error;
    return outcome.inserted;
  }

  /**
   * Concurrent enrolments share one statement (see `Batcher`): one parse, one commit and one firing of each
   * reporting trigger for the whole batch. Two enrolments of the same phone in the same organisation never share
   * one (the second must see the first to be refused as a duplicate): they go in successive statements. When a
   * shared statement fails (a unique-index race...), each enrolment of it is retried alone, so that the error
   * reaches only the enrolment that caused it.
   */
  private readonly enrolments = new Batcher<Enrolment, EnrolmentOutcome>(async (batch) => {
    const outcomes: EnrolmentOutcome[] = new Array<EnrolmentOutcome>(batch.length);
    let pending = batch.map((enrolment, index) => ({ enrolment, index }));
    while (pending.length > 0) {
      const phones = new Set<string>();
      const statement: typeof pending = [];
      const later: typeof pending = [];
      for (const item of pending) {
        const phone = `${item.enrolment.values.organisationId}:${item.enrolment.values.phoneIndex}`;
        (phones.has(phone) ? later : statement).push(item);
        phones.add(phone);
      }
      try {
        const inserted = await this.insertEnrolments(statement.map((item) => item.enrolment));
        statement.forEach((item, position) => (outcomes[item.index] = { inserted: inserted[position]! }));
      } catch (error) {
        if (statement.length === 1) outcomes[statement[0]!.index] = { error };
        else {
          for (const item of statement) {
            outcomes[item.index] = await this.insertEnrolments([item.enrolment]).then(
              ([inserted]) => ({ inserted: inserted! }),
              (alone: unknown) => ({ error: alone }),
            );
          }
        }
      }
      pending = later;
    }
    return outcomes;
  });

  /** Enrolments of distinct phones in one statement; one result per enrolment, in order (null: duplicate). */
  private async insertEnrolments(
    enrolments: readonly Enrolment[],
    executor: DataSource | EntityManager = this.dataSource,
  ): Promise<Array<InsertedEnrolment | null>> {
    const parents = enrolments.map((enrolment) => enrolment.values);
    const waves = enrolments.flatMap((enrolment, index) =>
      enrolment.waves.map((wave) => ({ ...wave, parent: index + 1 })),
    );
    const { rows } = await INSERT_ENROLMENTS.run<{
      n: string;
      id: string;
      created_at: Date;
      invitation_id: string | null;
      wave: string | null;
      sms_id: string | null;
    }>(executor, [
      parents.map((parent) => parent.organisationId),
      parents.map((parent) => parent.firstNameEnc),
      parents.map((parent) => parent.lastNameEnc),
      parents.map((parent) => parent.phoneEnc),
      parents.map((parent) => parent.phoneIndex),
      parents.map((parent) => parent.firstNameIndex),
      parents.map((parent) => parent.lastNameIndex),
      parents.map((parent) => parent.role),
      parents.map((parent) => parent.language),
      parents.map((parent) => parent.birthDate),
      parents.map((parent) => parent.expectedTermDate),
      parents.map((parent) => parent.referentUserId),
      parents.map((parent) => parent.consentRecordedBy),
      parents.map((parent) => parent.consentRecordedAt),
      parents.map((parent) => parent.consentTextVersion),
      enrolments.map((enrolment) => enrolment.audit.actorId),
      enrolments.map((enrolment) => enrolment.audit.ip),
      enrolments.map((enrolment) => enrolment.audit.requestId),
      enrolments.map((enrolment) => JSON.stringify(enrolment.audit.metadata)),
      waves.map((wave) => wave.parent),
      waves.map((wave) => wave.wave),
      waves.map((wave) => wave.dueAt),
      waves.map((wave) => wave.deferredFrom),
      parents.map((parent) => parent.namePrefixes.join(' ')),
    ]);
    const inserted: Array<InsertedEnrolment | null> = enrolments.map(() => null);
    for (const row of rows) {
      const position = Number(row.n) - 1;
      const enrolment = (inserted[position] ??= {
        id: row.id,
        createdAt: new Date(row.created_at),
        invitations: [],
      });
      if (row.invitation_id && row.wave && row.sms_id)
        enrolment.invitations.push({ id: row.invitation_id, wave: row.wave, smsId: row.sms_id });
    }
    return inserted;
  }

  /**
   * The enrolments of a household in one statement of the caller's transaction (same rules as
   * `insertEnrolment`; phones must be distinct). Null for each enrolment refused as a duplicate.
   */
  insertHouseholdEnrolments(
    manager: EntityManager,
    enrolments: ReadonlyArray<{
      values: NewParent;
      waves: ReadonlyArray<PlannedWave>;
      audit: EnrolmentAudit;
    }>,
  ): Promise<Array<InsertedEnrolment | null>> {
    return this.insertEnrolments(enrolments, manager);
  }

  /** Puts parents of the organisation in one household. */
  async setHousehold(
    manager: EntityManager,
    organisationId: string,
    householdId: string,
    parentIds: readonly string[],
  ): Promise<void> {
    await manager.query(
      `UPDATE parents SET household_id = $2, updated_at = now() WHERE organisation_id = $1 AND id = ANY($3::uuid[])`,
      [organisationId, householdId, parentIds],
    );
  }

  /** The parent an alert of the organisation is about. */
  async alertParentId(alertId: string, organisationId: string): Promise<string | null> {
    const rows = await this.dataSource.query<Array<{ parent_id: string }>>(
      `SELECT parent_id FROM alerts WHERE id = $1 AND organisation_id = $2`,
      [alertId, organisationId],
    );
    return rows[0]?.parent_id ?? null;
  }

  /** How many parents a household has (read in the caller's transaction, after its locks). */
  async householdSize(manager: EntityManager, organisationId: string, householdId: string): Promise<number> {
    const rows = await manager.query<Array<{ count: string }>>(
      `SELECT count(*) FROM parents WHERE organisation_id = $1 AND household_id = $2`,
      [organisationId, householdId],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** The other parents of a household, oldest first. */
  householdMembers(organisationId: string, householdId: string, excludeId: string): Promise<ParentEntity[]> {
    return this.dataSource.manager.find(ParentEntity, {
      where: { organisationId, householdId, id: Not(excludeId) },
      order: { createdAt: 'ASC' },
    });
  }

  /** Waves and result bands of some parents (never their answers nor scores), for the household view. */
  async householdSummaries(
    organisationId: string,
    parentIds: readonly string[],
  ): Promise<{
    invitations: Array<{
      parentId: string;
      wave: string;
      status: InvitationStatus;
      dueAt: Date;
      completedAt: Date | null;
    }>;
    results: Array<{ parentId: string; wave: string; band: EpdsBand; receivedAt: Date }>;
  }> {
    if (parentIds.length === 0) return { invitations: [], results: [] };
    const invitations = await this.dataSource.query<
      Array<{
        parent_id: string;
        wave: string;
        status: InvitationStatus;
        due_at: Date;
        completed_at: Date | null;
      }>
    >(
      `SELECT parent_id, wave, status, due_at, completed_at FROM invitations
        WHERE organisation_id = $1 AND parent_id = ANY($2::uuid[]) AND status <> 'cancelled' ORDER BY due_at`,
      [organisationId, parentIds],
    );
    const results = await this.dataSource.query<
      Array<{ parent_id: string; wave: string; band: EpdsBand; created_at: Date }>
    >(
      `SELECT parent_id, wave, band, created_at FROM responses
        WHERE organisation_id = $1 AND parent_id = ANY($2::uuid[]) ORDER BY created_at`,
      [organisationId, parentIds],
    );
    return {
      invitations: invitations.map((row) => ({
        parentId: row.parent_id,
        wave: row.wave,
        status: row.status,
        dueAt: new Date(row.due_at),
        completedAt: date(row.completed_at),
      })),
      results: results.map((row) => ({
        parentId: row.parent_id,
        wave: row.wave,
        band: row.band,
        receivedAt: new Date(row.created_at),
      })),
    };
  }

  /** Serialises enrolments of one phone in one organisation (in a transaction), so the duplicate check cannot race. */
  async lockPhone(manager: EntityManager, organisationId: string, phoneIndex: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7310))`, [
      `${organisationId}:${phoneIndex}`,
    ]);
  }

  /**
   * Parents whose name prefixes are not indexed yet (enrolled before prefix search, or written by an older
   * version during a rolling deployment), locked for the caller's transaction and skipped by another backfill.
   */
  parentsWithoutNamePrefixes(
    manager: EntityManager,
    limit: number,
  ): Promise<Array<{ id: string; organisationId: string; firstNameEnc: string; lastNameEnc: string }>> {
    return manager.query(
      `SELECT id, organisation_id AS "organisationId", first_name_enc AS "firstNameEnc", last_name_enc AS "lastNameEnc"
         FROM parents WHERE name_prefixes IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  /** Records the name prefixes of some parents (each row: id and its indexes). */
  async setNamePrefixes(
    manager: EntityManager,
    rows: ReadonlyArray<{ id: string; namePrefixes: readonly string[] }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `UPDATE parents p SET name_prefixes = string_to_array(v.prefixes, ' ')
         FROM unnest($1::uuid[], $2::text[]) AS v(id, prefixes) WHERE p.id = v.id`,
      [rows.map((row) => row.id), rows.map((row) => row.namePrefixes.join(' '))],
    );
  }

  async update(
    manager: EntityManager,
    id: string,
    organisationId: string,
    changes: Partial<ParentEntity>,
  ): Promise<void> {
    await manager.update(ParentEntity, { id, organisationId }, changes);
  }

  async search(
    organisationId: string,
    search: ParentSearch,
    page: number,
    pageSize: number,
  ): Promise<{ rows: Array<ParentEntity & { next: NextInvitationRow | null }>; total: number }> {
    const where = ['p.organisation_id = $1'];
    const values: unknown[] = [organisationId];
    if (search.phoneIndex) {
      values.push(search.phoneIndex);
      where.push(`p.phone_index = $${values.length}`);
    }
    if (search.nameIndex) {
      values.push(search.nameIndex);
      const exact = `p.first_name_index = $${values.length} OR p.last_name_index = $${values.length}`;
      if (search.namePrefix) {
        values.push([search.namePrefix]);
        where.push(`(${exact} OR p.name_prefixes @> $${values.length}::text[])`);
      } else where.push(`(${exact})`);
    }
    if (search.status) {
      values.push(search.status);
      where.push(`p.status = $${values.length}`);
    }
    const filter = where.join(' AND ');
    const [countRows, rows] = await Promise.all([
      this.dataSource.query<Array<{ total: number }>>(
        `SELECT count(*)::int AS total FROM parents p WHERE ${filter}`,
        values,
      ),
      this.dataSource.query<Array<Record<string, unknown>>>(
        `SELECT p.id, p.first_name_enc, p.last_name_enc, p.phone_enc, p.role, p.language, p.status,
                p.birth_date::text AS birth_date, p.expected_term_date::text AS expected_term_date, p.referent_user_id, p.created_at,
                n.id AS next_id, n.wave AS next_wave, n.due_at AS next_due_at, n.deferred_from AS next_deferred_from
         FROM parents p
         LEFT JOIN LATERAL (
           SELECT i.id, i.wave, i.due_at, i.deferred_from FROM invitations i
           WHERE i.parent_id = p.id AND i.organisation_id = p.organisation_id AND i.status = 'planned'
           ORDER BY i.due_at LIMIT 1
         ) n ON true
         WHERE ${filter}
         ORDER BY p.created_at DESC, p.id DESC
         LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
        [...values, pageSize, (page - 1) * pageSize],
      ),
    ]);
    return {
      total: countRows[0]?.total ?? 0,
      rows: rows.map((row) => {
        const parent = Object.assign(new ParentEntity(), {
          id: row.id as string,
          organisationId,
          firstNameEnc: row.first_name_enc as string,
          lastNameEnc: row.last_name_enc as string,
          phoneEnc: row.phone_enc as string,
          role: row.role as ParentEntity['role'],
          language: row.language as string,
          status: row.status as ParentStatus,
          birthDate: row.birth_date as string | null,
          expectedTermDate: row.expected_term_date as string | null,
          referentUserId: row.referent_user_id as string | null,
          createdAt: new Date(row.created_at as string),
        });
        const next: NextInvitationRow | null = row.next_id
          ? {
              invitationId: row.next_id as string,
              wave: row.next_wave as string,
              dueAt: new Date(row.next_due_at as string),
              deferredFrom: date(row.next_deferred_from as string | null),
            }
          : null;
        return Object.assign(parent, { next });
      }),
    };
  }

  /** A parent's invitations, oldest first, each with its SMS. */
  async invitations(
    parentId: string,
    organisationId: string,
    manager?: EntityManager,
  ): Promise<InvitationRow[]> {
    const db = this.manager(manager);
    const [invitations, sms] = await Promise.all([
      db.query<Array<Record<string, unknown>>>(
        `SELECT id, wave, status, due_at, deferred_from, sent_at, expires_at, reminders_sent, completed_at
         FROM invitations WHERE parent_id = $1 AND organisation_id = $2 ORDER BY due_at, created_at`,
        [parentId, organisationId],
      ),
      db.query<Array<Record<string, unknown>>>(
        `SELECT id, invitation_id, kind, status, due_at, deferred_from, sent_at, attempts, segments, encoding, error_code
         FROM sms_messages WHERE parent_id = $1 AND organisation_id = $2 ORDER BY due_at, created_at`,
        [parentId, organisationId],
      ),
    ]);
    const smsRows: SmsRow[] = sms.map((row) => ({
      id: row.id as string,
      invitationId: row.invitation_id as string,
      kind: row.kind as SmsKind,
      status: row.status as SmsStatus,
      ...sendTimes(row),
      attempts: row.attempts as number,
      segments: row.segments as number | null,
      encoding: row.encoding as string | null,
      errorCode: row.error_code as string | null,
    }));
    return invitations.map((row) => ({
      id: row.id as string,
      wave: row.wave as string,
      status: row.status as InvitationStatus,
      ...sendTimes(row),
      expiresAt: date(row.expires_at as string | null),
      remindersSent: row.reminders_sent as number,
      completedAt: date(row.completed_at as string | null),
      sms: smsRows.filter((sms) => sms.invitationId === row.id),
    }));
  }

  /**
   * Parents of every organisation with this phone and one of these statuses. Cross-tenant on purpose and only
   * for inbound SMS: a STOP from a number stops every organisation's messages to it.
   */
  async findByPhoneAllOrganisations(
    phoneIndex: string,
    statuses: readonly ParentStatus[],
    manager?: EntityManager,
  ): Promise<ParentEntity[]> {
    return this.manager(manager)
      .createQueryBuilder(ParentEntity, 'p')
      .where('p.phone_index = :phoneIndex', { phoneIndex })
      .andWhere('p.status IN (:...statuses)', { statuses })
      .getMany();
  }
}
