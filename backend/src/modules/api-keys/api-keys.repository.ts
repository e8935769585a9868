import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiKeyScope } from '@lien/shared';

export interface ApiKeyRow {
  id: string;
  organisationId: string;
  ownerUserId: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  allowedCidrs: string[];
  rateLimitPerMinute: number;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

/** A key as the authenticator reads it: with its hash, and whether its owner may still act for the organisation. */
export interface ApiKeyCredentialRow extends ApiKeyRow {
  keyHash: string;
  ownerActive: boolean;
}

export interface NewApiKey {
  organisationId: string;
  ownerUserId: string;
  name: string;
  prefix: string;
  keyHash: string;
  scopes: ApiKeyScope[];
  allowedCidrs: string[];
  rateLimitPerMinute: number;
  expiresAt: Date | null;
}

const COLUMNS = `k.id, k.organisation_id AS "organisationId", k.owner_user_id AS "ownerUserId", k.name, k.prefix,
  k.scopes, k.allowed_cidrs AS "allowedCidrs", k.rate_limit_per_minute AS "rateLimitPerMinute",
  k.expires_at AS "expiresAt", k.revoked_at AS "revokedAt", k.last_used_at AS "lastUsedAt",
  k.created_at AS "createdAt"`;

/** Partner API keys. Every method but the authenticator's lookup takes the organisation first. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(key: NewApiKey): Promise<ApiKeyRow> {
    const rows = await this.dataSource.query<ApiKeyRow[]>(
      `INSERT INTO api_keys AS k (organisation_id, owner_user_id, name, prefix, key_hash, scopes, allowed_cidrs,
                                  rate_limit_per_minute, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${COLUMNS}`,
      [
        key.organisationId,
        key.ownerUserId,
        key.name,
        key.prefix,
        key.keyHash,
        key.scopes,
        key.allowedCidrs,
        key.rateLimitPerMinute,
        key.expiresAt,
      ],
    );
    return rows[0]!;
  }

  list(organisationId: string): Promise<ApiKeyRow[]> {
    return this.dataSource.query<ApiKeyRow[]>(
      `SELECT ${COLUMNS} FROM api_keys k WHERE k.organisation_id = $1 ORDER BY k.created_at DESC, k.id`,
      [organisationId],
    );
  }

  /** Revokes a live key; null when absent, of another organisation, or already revoked. */
  async revoke(organisationId: string, id: string, by: string, at: Date): Promise<ApiKeyRow | null> {
    const [rows] = await this.dataSource.query<[ApiKeyRow[], number]>(
      `UPDATE api_keys k SET revoked_at = $4, revoked_by = $3
        WHERE k.organisation_id = $1 AND k.id = $2 AND k.revoked_at IS NULL
       RETURNING ${COLUMNS}`,
      [organisationId, id, by, at],
    );
    return rows[0] ?? null;
  }

  async exists(organisationId: string, id: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM api_keys WHERE organisation_id = $1 AND id = $2`,
      [organisationId, id],
    );
    return rows.length > 0;
  }

  /** Candidates for a presented key, by its visible prefix (the hash comparison happens in constant time after). */
  byPrefix(prefix: string): Promise<ApiKeyCredentialRow[]> {
    return this.dataSource.query<ApiKeyCredentialRow[]>(
      `SELECT ${COLUMNS}, k.key_hash AS "keyHash",
              (u.active AND u.organisation_id = k.organisation_id) AS "ownerActive"
         FROM api_keys k JOIN users u ON u.id = k.owner_user_id
        WHERE k.prefix = $1
        LIMIT 10`,
      [prefix],
    );
  }

  /** At most one write a minute per key. */
  async touch(id: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = $2
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
      [id, at],
    );
  }
}
