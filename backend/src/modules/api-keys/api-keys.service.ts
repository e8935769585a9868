import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ApiErrorDetail, ApiKeyView, CreatedApiKey } from '@lien/shared';
import {
  API_KEY_PATTERN,
  type ApiKeyAuthenticator,
  type ApiKeyUse,
} from '../../common/auth/api-key-principal.js';
import type { AuthUser, OrgScope } from '../../common/auth/auth-user.js';
import { tooManyAttempts, RateLimiter } from '../../common/auth/rate-limiter.js';
import { Clock } from '../../common/clock.js';
import { DomainError, invalidFields, notFound } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { ApiKeysRepository, type ApiKeyRow } from './api-keys.repository.js';
import type { CreateApiKeyDto } from './dto/api-key.dto.js';
import { addressAllowed, parseNetwork } from './networks.js';

/** Characters of the random part kept visible (with the environment prefix) to recognise a key in lists. */
const VISIBLE_CHARS = 8;
const DEFAULT_RATE_PER_MINUTE = 60;

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

const unauthorised = (): DomainError =>
  new DomainError('unauthorised', 'invalid_api_key', 'Invalid, revoked or expired API key');

function view(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    allowedCidrs: row.allowedCidrs,
    rateLimitPerMinute: row.rateLimitPerMinute,
    ownerUserId: row.ownerUserId,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/**
 * Partner API keys: created by an organisation admin (their named owner, recorded as the consent recorder of
 * what the key enrols), shown once, stored as a SHA-256 hash (the key is 256 random bits: no slow hash needed),
 * found by their visible prefix and compared in constant time. Revocation and expiry apply at the next request.
 */
@Injectable()
export class ApiKeysService implements ApiKeyAuthenticator {
  private readonly environmentPrefix: string;

  constructor(
    private readonly repository: ApiKeysRepository,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.environmentPrefix = config.nodeEnv === 'production' ? 'lien_live_' : 'lien_test_';
  }

  async create(
    scope: OrgScope,
    owner: AuthUser,
    dto: CreateApiKeyDto,
    context: AuditContext,
  ): Promise<CreatedApiKey> {
    const now = this.clock.now();
    const details: ApiErrorDetail[] = [];
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt && !(expiresAt.getTime() > now.getTime()))
      details.push({ field: 'expiresAt', message: 'expiresAt must be in the future' });
    const allowedCidrs = [...new Set((dto.allowedCidrs ?? []).map((text) => text.trim()))];
    for (const text of allowedCidrs) {
      if (!parseNetwork(text))
        details.push({
          field: 'allowedCidrs',
          message: 'allowedCidrs must hold IP addresses or networks such as 203.0.113.0/24',
        });
    }
    if (details.length > 0) throw invalidFields(details);
    const random = randomBytes(32).toString('base64url');
    const key = `${this.environmentPrefix}${random}`;
    const row = await this.repository.insert({
      organisationId: scope.organisationId,
      ownerUserId: owner.id,
      name: dto.name,
      prefix: `${this.environmentPrefix}${random.slice(0, VISIBLE_CHARS)}`,
      keyHash: sha256(key).toString('hex'),
      scopes: [...dto.scopes],
      allowedCidrs,
      rateLimitPerMinute: dto.rateLimitPerMinute ?? DEFAULT_RATE_PER_MINUTE,
      expiresAt,
    });
    await this.audit.record(context, {
      action: 'api_key.create',
      targetType: 'api_key',
      targetId: row.id,
      metadata: { scopes: row.scopes, expiresAt: row.expiresAt?.toISOString() ?? null },
    });
    return { ...view(row), key };
  }

  async list(scope: OrgScope): Promise<ApiKeyView[]> {
    return (await this.repository.list(scope.organisationId)).map(view);
  }

  async revoke(scope: OrgScope, id: string, context: AuditContext): Promise<ApiKeyView> {
    const { organisationId } = scope;
    const row = await this.repository.revoke(organisationId, id, context.actorId ?? '', this.clock.now());
    if (!row) {
      if (await this.repository.exists(organisationId, id))
        throw new DomainError('conflict', 'already_revoked', 'This API key is already revoked');
      throw notFound('API key');
    }
    await this.audit.record(context, { action: 'api_key.revoke', targetType: 'api_key', targetId: row.id });
    return view(row);
  }

  /** See `ApiKeyAuthenticator`: 401, then 403 (allow-list), then 429 (rate), in that order. */
  async authenticate(key: string, ip: string | null): Promise<AuthUser> {
    if (!API_KEY_PATTERN.test(key) || !key.startsWith(this.environmentPrefix)) throw unauthorised();
    const presented = sha256(key);
    const prefix = key.slice(0, this.environmentPrefix.length + VISIBLE_CHARS);
    const match = (await this.repository.byPrefix(prefix)).find((candidate) =>
      timingSafeEqual(Buffer.from(candidate.keyHash, 'hex'), presented),
    );
    const now = this.clock.now();
    if (
      !match ||
      match.revokedAt !== null ||
      (match.expiresAt !== null && match.expiresAt.getTime() <= now.getTime()) ||
      !match.ownerActive
    ) {
      throw unauthorised();
    }
    if (match.allowedCidrs.length > 0 && !addressAllowed(ip, match.allowedCidrs)) {
      throw new DomainError('forbidden', 'api_key_address', 'This API key may not be used from this address');
    }
    const rate = await this.limiter.hit('api-key', match.id, match.rateLimitPerMinute, 60);
    if (!rate.allowed) throw tooManyAttempts(rate.retryAfterSeconds, 'API key rate limit exceeded');
    await this.repository.touch(match.id, now);
    return {
      id: match.ownerUserId,
      // The narrowest role: the key's scopes, not a role, decide what it reaches.
      role: 'professional',
      organisationId: match.organisationId,
      territory: { departements: [], region: null },
      apiKey: { id: match.id, scopes: match.scopes },
    };
  }

  async recordUse(principal: AuthUser, use: ApiKeyUse): Promise<void> {
    if (!principal.apiKey) return;
    await this.audit.record(
      {
        actorId: principal.apiKey.id,
        organisationId: principal.organisationId,
        ip: use.ip,
        requestId: use.requestId,
      },
      {
        action: 'api_key.request',
        targetType: 'api_key',
        targetId: principal.apiKey.id,
        metadata: { method: use.method, route: use.route.slice(0, 200) },
      },
    );
  }
}
