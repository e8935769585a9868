import { Injectable } from '@nestjs/common';
import type { EpdsScore, InvitationStatus } from '@lien/shared';
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { PreparedStatement } from '../../common/prepared-statement.js';
import { InvitationLinkEntity } from '../invitations/invitation-link.entity.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ParentEntity } from '../parents/parent.entity.js';
import { DIRECTORY_ENTRIES_SHOWN, type DirectoryEntry } from './directory-resources.js';
import { ResponseEntity } from './response.entity.js';

/**
 * What a link resolves to: the token is the only credential, and it names one organisation. Only the columns the
 * pages, the scoring and the alert rules read are fetched (never the parent's encrypted identity).
 */
const LINK_FIELDS = ['id', 'createdAt'] as const;
const INVITATION_FIELDS = [
  'id',
  'organisationId',
  'parentId',
  'wave',
  'status',
  'sentAt',
  'openedAt',
  'expiresAt',
] as const;
const PARENT_FIELDS = ['id', 'organisationId', 'role', 'language', 'status', 'referentUserId'] as const;
const ORGANISATION_FIELDS = ['id', 'name', 'settings', 'timeZone', 'departement'] as const;

export type LinkInvitation = Pick<InvitationEntity, (typeof INVITATION_FIELDS)[number]>;

export interface LinkRecord {
  link: Pick<InvitationLinkEntity, (typeof LINK_FIELDS)[number]>;
  invitation: LinkInvitation;
  parent: Pick<ParentEntity, (typeof PARENT_FIELDS)[number]>;
  organisation: Pick<OrganisationEntity, (typeof ORGANISATION_FIELDS)[number]>;
}

/** Invitations that can still be answered. */
export const OPEN_INVITATION_STATUSES = [
  'planned',
  'sent',
  'opened',
] as const satisfies readonly InvitationStatus[];

/** A response to store; its wave is the claimed invitation's. */
export type NewResponse = Omit<ResponseEntity, 'id' | 'invitation' | 'alertId' | 'wave'>;

/** A response row's score columns, as the EPDS scoring gave them (the total goes to `score`). */
export function scoreColumns(
  score: EpdsScore,
): Pick<ResponseEntity, 'itemPoints' | 'score' | 'band' | 'item10Positive' | 'anxietyScore' | 'anxietyFlag'> {
  return {
    itemPoints: score.itemPoints,
    score: score.total,
    band: score.band,
    item10Positive: score.item10Positive,
    anxietyScore: score.anxietyScore,
    anxietyFlag: score.anxietyFlag,
  };
}

/** What the audit event of a stored response records besides its id. */
export interface StoredResponseAudit {
  ip: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
}

const STORE_RESPONSE = new PreparedStatement(
  'questionnaire_store_response',
  `WITH claimed AS (
     UPDATE invitations SET status = 'completed', completed_at = $3, updated_at = now()
      WHERE id = $1 AND organisation_id = $2 AND status = ANY($4::varchar[]) AND (expires_at IS NULL OR expires_at > $3)
      RETURNING id, organisation_id, parent_id, wave
   ), response AS (
     INSERT INTO responses (organisation_id, parent_id, invitation_id, wave, parent_role, instrument_id, instrument_version,
                            language, channel, answers, item_points, score, band, item10_positive, anxiety_score,
                            anxiety_flag, created_at)
     SELECT organisation_id, parent_id, id, wave, $5, $6, $7, $8, $9, $10::smallint[], $11::smallint[], $12, $13, $14,
            $15, $16, $3
       FROM claimed
     RETURNING id, organisation_id, invitation_id, wave
   ), reminders AS (
     UPDATE sms_messages SET status = 'cancelled', status_history = status_history || $17::jsonb, updated_at = now()
      WHERE invitation_id IN (SELECT invitation_id FROM response) AND organisation_id = $2 AND status = 'pending'
   ), audit AS (
     INSERT INTO audit_events (organisation_id, actor_id, action, target_type, target_id, ip, request_id, metadata)
     SELECT organisation_id, NULL, 'response.create', 'response', id, $18, $19, $20::jsonb FROM response
   )
   SELECT id, wave FROM response`,
);

/**
 * The organisation's own referral directory as parents may see it: places that take new patients, by name. Only
 * public details of the place are read (the directory holds nothing about any parent).
 */
const DIRECTORY_ENTRIES = new PreparedStatement(
  'questionnaire_directory_entries',
  `SELECT name, kind, address, phone, languages, usual_delay_days AS "usualDelayDays"
     FROM referral_resources
    WHERE organisation_id = $1 AND accepts_new_patients
    ORDER BY name, id
    LIMIT $2`,
);

interface LookupPart {
  key: keyof LinkRecord;
  target: EntityTarget<ObjectLiteral>;
  alias: string;
  fields: readonly string[];
}

const LOOKUP_PARTS: readonly LookupPart[] = [
  { key: 'link', target: InvitationLinkEntity, alias: 'l', fields: LINK_FIELDS },
  { key: 'invitation', target: InvitationEntity, alias: 'i', fields: INVITATION_FIELDS },
  { key: 'parent', target: ParentEntity, alias: 'p', fields: PARENT_FIELDS },
  { key: 'organisation', target: OrganisationEntity, alias: 'o', fields: ORGANISATION_FIELDS },
];

/**
 * The questionnaire's only door to the database. Lookups start from the token hash (the public side has no
 * session); every later read or write takes the organisation id the link resolved to.
 * The hot path (a parent opening or submitting) is plain SQL written once from the entity metadata: one query to
 * resolve a link, one statement to claim the invitation, one to store the response.
 */
@Injectable()
export class QuestionnaireRepository {
  private lookup?: {
    statement: PreparedStatement;
    columns: { part: LookupPart; column: ColumnMetadata; name: string }[];
  };

  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** One prepared query: the link, its invitation, parent and organisation, all of the same organisation. */
  async findLinkByTokenHash(tokenHash: string): Promise<LinkRecord | null> {
    const lookup = (this.lookup ??= this.buildLookup());
    const {
      rows: [row],
    } = await lookup.statement.run<Record<string, unknown>>(this.dataSource, [tokenHash]);
    if (!row) return null;
    const entities = new Map<LookupPart, ObjectLiteral>(
      LOOKUP_PARTS.map((part) => [part, this.dataSource.getMetadata(part.target).create() as ObjectLiteral]),
    );
    for (const { part, column, name } of lookup.columns) {
      column.setEntityValue(
        entities.get(part)!,
        this.dataSource.driver.prepareHydratedValue(row[name], column),
      );
    }
    const [link, invitation, parent, organisation] = LOOKUP_PARTS.map((part) => entities.get(part));
    return {
      link: link as LinkRecord['link'],
      invitation: invitation as LinkInvitation,
      parent: parent as LinkRecord['parent'],
      organisation: organisation as LinkRecord['organisation'],
    };
  }

  /** First visit of a sent invitation; a no-op for every other status. */
  async markOpened(invitationId: string, organisationId: string, at: Date): Promise<boolean> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `UPDATE invitations SET status = 'opened', opened_at = $3, updated_at = now()
        WHERE id = $1 AND organisation_id = $2 AND status = 'sent'`,
      [invitationId, organisationId, at],
    );
    return affected > 0;
  }

  /**
   * Stores a response in one statement, so that it is atomic without transaction round trips of its own:
   * - claims the invitation (completed) if it can still be answered: the row lock makes a concurrent submission
   *   wait, then find it completed (the unique index on responses.invitation_id has the last word);
   * - inserts the response;
   * - cancels the invitation's SMS not yet handed to the provider (its reminders), as SmsOutboxService does;
   * - writes the audit event (no actor: the parent has no account).
   * Returns the stored response, or null when the invitation could not be claimed (nothing was written). Runs in
   * `manager`'s transaction when given (alerts are raised in the same one).
   */
  async storeResponse(
    response: NewResponse,
    audit: StoredResponseAudit,
    manager?: EntityManager,
  ): Promise<ResponseEntity | null> {
    const {
      rows: [row],
    } = await STORE_RESPONSE.run<{ id: string; wave: string }>(manager ?? this.dataSource, [
      response.invitationId,
      response.organisationId,
      response.createdAt,
      OPEN_INVITATION_STATUSES,
      response.parentRole,
      response.instrumentId,
      response.instrumentVersion,
      response.language,
      response.channel,
      response.answers,
      response.itemPoints,
      response.score,
      response.band,
      response.item10Positive,
      response.anxietyScore,
      response.anxietyFlag,
      JSON.stringify([{ status: 'cancelled', at: response.createdAt.toISOString() }]),
      audit.ip,
      audit.requestId,
      JSON.stringify(audit.metadata),
    ]);
    if (!row) return null;
    return Object.assign(this.dataSource.getMetadata(ResponseEntity).create() as ResponseEntity, response, {
      id: row.id,
      wave: row.wave,
      alertId: null,
    });
  }

  /** The invitation as it stands (why a claim failed). */
  findInvitation(
    invitationId: string,
    organisationId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<InvitationEntity | null> {
    return manager.findOneBy(InvitationEntity, { id: invitationId, organisationId });
  }

  /** The organisation's referral directory entries shown on the parents' pages (see DIRECTORY_ENTRIES). */
  async directoryEntries(organisationId: string): Promise<DirectoryEntry[]> {
    const { rows } = await DIRECTORY_ENTRIES.run<DirectoryEntry>(this.dataSource, [
      organisationId,
      DIRECTORY_ENTRIES_SHOWN,
    ]);
    return rows;
  }

  private buildLookup(): NonNullable<QuestionnaireRepository['lookup']> {
    const columns = LOOKUP_PARTS.flatMap((part) =>
      part.fields.map((field, index) => {
        const column = this.dataSource.getMetadata(part.target).findColumnWithPropertyName(field);
        if (!column) throw new Error(`link lookup: no column for ${part.key}.${field}`);
        return { part, column, name: `${part.alias}_${index}` };
      }),
    );
    const select = columns
      .map(({ part, column, name }) => `${part.alias}."${column.databaseName}" AS "${name}"`)
      .join(', ');
    const table = (target: EntityTarget<ObjectLiteral>): string =>
      `"${this.dataSource.getMetadata(target).tableName}"`;
    const sql = `SELECT ${select}
      FROM ${table(InvitationLinkEntity)} l
      JOIN ${table(InvitationEntity)} i ON i.id = l.invitation_id AND i.organisation_id = l.organisation_id
      JOIN ${table(ParentEntity)} p ON p.id = i.parent_id AND p.organisation_id = i.organisation_id
      JOIN ${table(OrganisationEntity)} o ON o.id = p.organisation_id
     WHERE l.token_hash = $1`;
    return { statement: new PreparedStatement('questionnaire_link_lookup', sql), columns };
  }
}
