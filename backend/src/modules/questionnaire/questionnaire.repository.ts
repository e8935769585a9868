import { Injectable } from '@nestjs/common';
import type { InvitationStatus } from '@lien/shared';
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { InvitationLinkEntity } from '../invitations/invitation-link.entity.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ParentEntity } from '../parents/parent.entity.js';
import { ResponseEntity } from './response.entity.js';

/** A link with everything the page needs: the token is the only credential, and it names one organisation. */
export interface LinkRecord {
  link: InvitationLinkEntity;
  invitation: InvitationEntity;
  parent: ParentEntity;
  organisation: OrganisationEntity;
}

/** Invitations that can still be answered. */
export const OPEN_INVITATION_STATUSES = [
  'planned',
  'sent',
  'opened',
] as const satisfies readonly InvitationStatus[];

export type NewResponse = Omit<ResponseEntity, 'id' | 'invitation' | 'alertId'>;

interface LookupPart {
  key: keyof LinkRecord;
  target: EntityTarget<ObjectLiteral>;
  alias: string;
}

const LOOKUP_PARTS: readonly LookupPart[] = [
  { key: 'link', target: InvitationLinkEntity, alias: 'l' },
  { key: 'invitation', target: InvitationEntity, alias: 'i' },
  { key: 'parent', target: ParentEntity, alias: 'p' },
  { key: 'organisation', target: OrganisationEntity, alias: 'o' },
];

/**
 * The questionnaire's only door to the database. Lookups start from the token hash (the public side has no
 * session); every later read or write takes the organisation id the link resolved to.
 * The hot path (a parent opening or submitting) is plain SQL written once from the entity metadata: one query to
 * resolve a link, one statement to claim the invitation, one to store the response.
 */
@Injectable()
export class QuestionnaireRepository {
  private lookup?: { sql: string; columns: { part: LookupPart; column: ColumnMetadata; name: string }[] };

  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** One query: the link, its invitation, parent and organisation, all of the same organisation. */
  async findLinkByTokenHash(tokenHash: string): Promise<LinkRecord | null> {
    const lookup = (this.lookup ??= this.buildLookup());
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(lookup.sql, [tokenHash]);
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
      link: link as InvitationLinkEntity,
      invitation: invitation as InvitationEntity,
      parent: parent as ParentEntity,
      organisation: organisation as OrganisationEntity,
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
   * Marks the invitation completed if it can still be answered, in one statement: the row lock it takes makes a
   * concurrent submission wait, then find it completed. Returns the wave, or null when it could not be claimed.
   */
  async claimInvitation(
    manager: EntityManager,
    invitationId: string,
    organisationId: string,
    at: Date,
  ): Promise<{ wave: string } | null> {
    const [rows] = await manager.query<[{ wave: string }[], number]>(
      `UPDATE invitations SET status = 'completed', completed_at = $3, updated_at = now()
        WHERE id = $1 AND organisation_id = $2 AND status = ANY($4::varchar[]) AND (expires_at IS NULL OR expires_at > $3)
        RETURNING wave`,
      [invitationId, organisationId, at, OPEN_INVITATION_STATUSES],
    );
    return rows[0] ?? null;
  }

  /** The invitation as it stands (why a claim failed). */
  findInvitation(
    manager: EntityManager,
    invitationId: string,
    organisationId: string,
  ): Promise<InvitationEntity | null> {
    return manager.findOneBy(InvitationEntity, { id: invitationId, organisationId });
  }

  async insertResponse(manager: EntityManager, response: NewResponse): Promise<ResponseEntity> {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO responses (organisation_id, parent_id, invitation_id, wave, parent_role, instrument_id, instrument_version, language,
                              channel, answers, item_points, score, band, item10_positive, anxiety_score, anxiety_flag, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::smallint[], $11::smallint[], $12, $13, $14, $15, $16, $17)
       RETURNING id`,
      [
        response.organisationId,
        response.parentId,
        response.invitationId,
        response.wave,
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
        response.createdAt,
      ],
    );
    if (!row) throw new Error('the response was not stored');
    return Object.assign(this.dataSource.getMetadata(ResponseEntity).create() as ResponseEntity, response, {
      id: row.id,
      alertId: null,
    });
  }

  private buildLookup(): NonNullable<QuestionnaireRepository['lookup']> {
    const columns = LOOKUP_PARTS.flatMap((part) =>
      this.dataSource
        .getMetadata(part.target)
        .columns.map((column, index) => ({ part, column, name: `${part.alias}_${index}` })),
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
    return { sql, columns };
  }
}
