import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import * as client from 'openid-client';
import type { LoginResponse, OidcCallbackError, OidcConfigResponse } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { clientNetworkKey, RateLimiter } from '../../common/auth/rate-limiter.js';
import { Clock } from '../../common/clock.js';
import { hashToken, randomToken } from '../../common/crypto/field-encryption.service.js';
import { DomainError, isUniqueViolation } from '../../common/errors.js';
import { EgressProxy, proxiedFetch } from '../../common/egress-proxy.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig, OidcConfig } from '../../config/config.js';
import { REDIS } from '../../queue/queue.module.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import type { UserEntity } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { AuthService } from './auth.service.js';

/** How long a started sign-in may take at the provider before its state is forgotten. */
const STATE_TTL_SECONDS = 600;
const STATE = /^[A-Za-z0-9_-]{16,128}$/;
/** The one-time code the console exchanges for tokens: short-lived, longer once a TOTP code is asked for. */
const CODE_TTL_SECONDS = 60;
const CODE_TOTP_TTL_SECONDS = 300;
const CODE = /^[A-Za-z0-9_-]{32,64}$/;
/** Sign-ins started per client address, and in all (so pending states cannot fill Redis: at most 2 × limit). */
export const OIDC_START_PER_IP = { limit: 20, windowSeconds: STATE_TTL_SECONDS };
export const OIDC_START_ALL = { limit: 5_000, windowSeconds: STATE_TTL_SECONDS };
/** The cookie binding a started sign-in to the browser that started it, sent back only to the callback. */
export const OIDC_BROWSER_COOKIE = 'lien_oidc';
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

interface PendingLogin {
  codeVerifier: string;
  nonce: string;
  /** sha256 of the browser cookie's secret. */
  browser: string;
  /** Set by a signed-in user's explicit linking step: the identity links to this account. */
  linkUserId?: string;
}

interface PendingCode {
  userId: string;
}

export type OidcOutcome =
  | { ok: true; kind: 'signed_in'; code: string }
  | { ok: true; kind: 'linked' }
  | { ok: false; error: OidcCallbackError };

/** A started flow: where to send the browser, and the Set-Cookie value binding the flow to it. */
export interface OidcStart {
  url: string;
  cookie: string | null;
}

/**
 * RPPS number from a claim: 11 digits, or Pro Santé Connect's national identifier "8" + RPPS (12 digits).
 * Anything else is not an RPPS number.
 */
export function rppsFromClaim(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const digits = String(value).trim();
  if (/^\d{11}$/.test(digits)) return digits;
  if (/^8\d{11}$/.test(digits)) return digits.slice(1);
  return null;
}

/** The browser cookie's value in a Cookie header, if any. */
export function browserCookieOf(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === OIDC_BROWSER_COOKIE) {
      const value = part.slice(index + 1).trim();
      return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : null;
    }
  }
  return null;
}

const invalidCode = (): DomainError =>
  new DomainError(
    'unauthorised',
    'oidc_code_invalid',
    'This sign-in code is invalid or expired; sign in again',
  );

/**
 * Generic OpenID Connect sign-in (authorization code + PKCE + state + nonce) for Pro Santé Connect or any provider.
 * The state, PKCE verifier and nonce wait in Redis under the random state (10 minutes, single use, capped), bound
 * to the starting browser by an HttpOnly cookie scoped to the callback. The callback hands the console a one-time
 * code (60 s, stored hashed), never tokens; the console exchanges it. An identity maps to an account by its stored
 * subject, or on first sign-in by an RPPS number a platform admin recorded, or through an explicit linking step of
 * the signed-in account holder; never by e-mail. Deactivated and locked accounts are refused.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('OidcService');
  private configuration: Promise<client.Configuration> | undefined;
  private readonly egress: EgressProxy;

  constructor(
    private readonly users: UsersRepository,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rateLimiter: RateLimiter,
    private readonly clock: Clock,
  ) {
    this.egress = new EgressProxy(config.egressProxy);
  }

  publicConfig(): OidcConfigResponse {
    return { enabled: this.config.oidc !== null, displayName: this.config.oidc?.displayName ?? null };
  }

  get redirectUri(): string {
    return `${this.config.publicBaseUrl}${OIDC_CALLBACK_PATH}`;
  }

  /** Where the console receives the outcome: a one-time code or an error, in the fragment (never in a log). */
  consoleRedirect(outcome: OidcOutcome): string {
    const fragment = !outcome.ok
      ? new URLSearchParams({ error: outcome.error })
      : outcome.kind === 'linked'
        ? new URLSearchParams({ linked: 'true' })
        : new URLSearchParams({ code: outcome.code });
    return `${this.config.consoleOrigin}/auth/callback#${fragment.toString()}`;
  }

  /** Set-Cookie value that removes the browser binding. */
  clearBrowserCookie(): string {
    return this.cookie('', 0);
  }

  /**
   * A new sign-in: the provider's authorization URL and the binding cookie, or the console with
   * `#error=oidc_failed` when the provider cannot be reached; null when OIDC is not configured.
   */
  start(context: AuditContext): Promise<OidcStart | null> {
    return this.begin(context, undefined);
  }

  /** The signed-in user's explicit linking step: completing the flow links the identity to this account. */
  async startLink(actor: AuthUser, context: AuditContext): Promise<OidcStart | null> {
    const user = await this.users.findByIdForAuthentication(actor.id);
    if (!user || !user.active) throw invalidCode();
    if (user.oidcSubject !== null) {
      throw new DomainError(
        'conflict',
        'oidc_already_linked',
        'This account is already linked to an identity',
      );
    }
    return this.begin(context, user.id);
  }

  private async begin(context: AuditContext, linkUserId: string | undefined): Promise<OidcStart | null> {
    const oidc = this.config.oidc;
    if (!oidc) return null;
    for (const [bucket, subject, budget] of [
      ['oidc-start-ip', clientNetworkKey(context.ip), OIDC_START_PER_IP],
      ['oidc-start', 'all', OIDC_START_ALL],
    ] as const) {
      const result = await this.rateLimiter.hit(bucket, subject, budget.limit, budget.windowSeconds);
      if (!result.allowed) {
        throw new DomainError(
          'rate_limited',
          'too_many_attempts',
          'Too many sign-ins started; try again later',
          {
            retryAfterSeconds: result.retryAfterSeconds,
          },
        );
      }
    }
    let configuration: client.Configuration;
    try {
      configuration = await this.discover(oidc);
    } catch (error) {
      this.logger.warn(`OIDC discovery failed: ${(error as Error).name}: ${(error as Error).message}`);
      return { url: this.consoleRedirect({ ok: false, error: 'oidc_failed' }), cookie: null };
    }
    const state = client.randomState();
    const browserSecret = randomToken(32);
    const pending: PendingLogin = {
      codeVerifier: client.randomPKCECodeVerifier(),
      nonce: client.randomNonce(),
      browser: hashToken(browserSecret),
      ...(linkUserId ? { linkUserId } : {}),
    };
    await this.redis.set(this.stateKey(state), JSON.stringify(pending), 'EX', STATE_TTL_SECONDS);
    const scopes = new Set(oidc.scopes.split(/\s+/).filter(Boolean));
    scopes.add('openid');
    const url = client
      .buildAuthorizationUrl(configuration, {
        redirect_uri: this.redirectUri,
        scope: [...scopes].join(' '),
        state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      })
      .toString();
    return { url, cookie: this.cookie(browserSecret, STATE_TTL_SECONDS) };
  }

  /**
   * Finishes a flow from the provider's redirect (its query string) and the browser cookie. A callback from a
   * browser that did not start the flow throws a 400 (`oidc_browser_mismatch`); any other outcome is returned.
   */
  async callback(
    query: URLSearchParams,
    browserSecret: string | null,
    context: AuditContext,
  ): Promise<OidcOutcome> {
    const oidc = this.config.oidc;
    if (!oidc) return { ok: false, error: 'oidc_failed' };
    if (!browserSecret) {
      await this.refuse('oidc_failed', 'no_browser_binding', context);
      throw this.browserMismatch();
    }
    const state = query.get('state');
    if (!state || !STATE.test(state)) return this.refuse('oidc_expired', 'missing_state', context);
    const stored = await this.redis.getdel(this.stateKey(state));
    if (!stored) return this.refuse('oidc_expired', 'unknown_state', context);
    const pending = JSON.parse(stored) as PendingLogin;
    if (pending.browser !== hashToken(browserSecret)) {
      await this.refuse('oidc_failed', 'browser_mismatch', context);
      throw this.browserMismatch();
    }
    if (query.get('error')) return this.refuse('oidc_denied', 'provider_error', context);

    let claims: Record<string, unknown>;
    try {
      const configuration = await this.discover(oidc);
      const currentUrl = new URL(this.redirectUri);
      currentUrl.search = query.toString();
      const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
      });
      const idClaims = tokens.claims();
      if (!idClaims) return this.refuse('oidc_failed', 'no_id_token', context);
      claims = { ...idClaims };
      if (configuration.serverMetadata().userinfo_endpoint) {
        const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
        claims = { ...userinfo, ...idClaims };
      }
    } catch (error) {
      this.logger.warn(`OIDC code exchange failed: ${(error as Error).name}: ${(error as Error).message}`);
      return this.refuse('oidc_failed', 'exchange_failed', context);
    }
    const subject = typeof claims.sub === 'string' && claims.sub.length <= 255 ? claims.sub : null;
    if (!subject) return this.refuse('oidc_failed', 'no_subject', context);
    if (pending.linkUserId) return this.linkExplicitly(pending.linkUserId, subject, context);

    const matched = await this.match(subject, claims, oidc);
    if (!matched) return this.refuse('oidc_unknown_user', 'unknown_identity', context);
    const { user } = matched;
    const unavailable = this.unavailable(user);
    if (unavailable) return this.refuse('oidc_account_unavailable', unavailable, context, user);
    if (user.oidcSubject !== subject) {
      try {
        await this.users.update(user.id, { oidcSubject: subject });
      } catch (error) {
        if (isUniqueViolation(error))
          return this.refuse('oidc_already_linked', 'subject_taken', context, user);
        throw error;
      }
      await this.linked(user, matched.by, context);
    }
    const code = randomToken(32);
    const record: PendingCode = { userId: user.id };
    await this.redis.set(this.codeKey(code), JSON.stringify(record), 'EX', CODE_TTL_SECONDS);
    return { ok: true, kind: 'signed_in', code };
  }

  /**
   * The console's exchange of a one-time code for tokens. The code is single use; when a TOTP code is needed
   * (the provider is not a second factor here) an answer without one leaves the code for the retry with it.
   */
  async exchange(code: string, totp: string | undefined, context: AuditContext): Promise<LoginResponse> {
    const oidc = this.config.oidc;
    if (!oidc || !CODE.test(code)) throw invalidCode();
    const key = this.codeKey(code);
    const stored = await this.redis.get(key);
    if (!stored) throw invalidCode();
    const { userId } = JSON.parse(stored) as PendingCode;
    const user = await this.users.findByIdForAuthentication(userId);
    const unavailable = user ? this.unavailable(user) : 'unknown_account';
    if (!user || unavailable) {
      await this.redis.del(key);
      await this.refuse(
        'oidc_account_unavailable',
        unavailable ?? 'unknown_account',
        context,
        user ?? undefined,
      );
      throw new DomainError('unauthorised', 'oidc_account_unavailable', 'This account cannot sign in');
    }
    if (!oidc.isMfa && user.totpEnabled && user.totpSecretEnc && !totp) {
      await this.redis.expire(key, CODE_TOTP_TTL_SECONDS);
      throw new DomainError('unauthorised', 'totp_required', 'Enter the code of your authenticator app');
    }
    // Consumed here, atomically: two exchanges of one code cannot both pass.
    if (!(await this.redis.getdel(key))) throw invalidCode();
    const method = oidc.isMfa ? 'oidc' : await this.auth.secondFactor(user, totp, 'oidc', context);
    return this.auth.succeed(user, method, context);
  }

  private async linkExplicitly(userId: string, subject: string, context: AuditContext): Promise<OidcOutcome> {
    const user = await this.users.findByIdForAuthentication(userId);
    if (!user) return this.refuse('oidc_account_unavailable', 'unknown_account', context);
    const unavailable = this.unavailable(user);
    if (unavailable) return this.refuse('oidc_account_unavailable', unavailable, context, user);
    const holder = await this.users.findByOidcSubjectForAuthentication(subject);
    if (holder?.id === user.id) return { ok: true, kind: 'linked' };
    if (holder || user.oidcSubject !== null)
      return this.refuse('oidc_already_linked', 'already_linked', context, user);
    try {
      await this.users.update(user.id, { oidcSubject: subject });
    } catch (error) {
      if (isUniqueViolation(error)) return this.refuse('oidc_already_linked', 'subject_taken', context, user);
      throw error;
    }
    await this.linked(user, 'explicit', context);
    return { ok: true, kind: 'linked' };
  }

  private async linked(user: UserEntity, by: string, context: AuditContext): Promise<void> {
    await this.audit.record(
      { ...context, actorId: user.id, organisationId: user.organisationId },
      { action: 'auth.oidc.linked', targetType: 'user', targetId: user.id, metadata: { matchedBy: by } },
    );
  }

  /** Why an account may not sign in now (deactivated, locked), or null. */
  private unavailable(user: UserEntity): 'inactive' | 'locked' | null {
    if (!user.active) return 'inactive';
    if (user.lockedUntil && user.lockedUntil.getTime() > this.clock.now().getTime()) return 'locked';
    return null;
  }

  /**
   * By stored subject; else, on first sign-in, by an RPPS number a platform admin recorded on exactly one account
   * not yet linked. Never by e-mail: a provider's e-mail says nothing about who owns a Lien account.
   */
  private async match(
    subject: string,
    claims: Record<string, unknown>,
    oidc: OidcConfig,
  ): Promise<{ user: UserEntity; by: 'subject' | 'rpps' } | null> {
    const bySubject = await this.users.findByOidcSubjectForAuthentication(subject);
    if (bySubject) return { user: bySubject, by: 'subject' };
    const rpps = rppsFromClaim(claims[oidc.rppsClaim]) ?? rppsFromClaim(claims.rpps);
    if (rpps) {
      const candidates = await this.users.findByRppsForAuthentication(rpps);
      const [candidate] = candidates;
      if (candidates.length === 1 && candidate && candidate.oidcSubject === null)
        return { user: candidate, by: 'rpps' };
    }
    return null;
  }

  private async refuse(
    error: OidcCallbackError,
    reason: string,
    context: AuditContext,
    user?: UserEntity,
  ): Promise<OidcOutcome> {
    await this.audit.record(
      { ...context, actorId: user?.id ?? null, organisationId: user?.organisationId ?? null },
      {
        action: 'auth.login.failure',
        ...(user ? { targetType: 'user', targetId: user.id } : {}),
        metadata: { method: 'oidc', reason },
      },
    );
    return { ok: false, error };
  }

  private browserMismatch(): DomainError {
    return new DomainError(
      'invalid',
      'oidc_browser_mismatch',
      'This sign-in was not started in this browser; start it again',
    );
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    const secure = this.config.publicBaseUrl.startsWith('https:') ? '; Secure' : '';
    return `${OIDC_BROWSER_COOKIE}=${value}; Path=${OIDC_CALLBACK_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
  }

  private discover(oidc: OidcConfig): Promise<client.Configuration> {
    this.configuration ??= client
      .discovery(
        new URL(oidc.issuerUrl),
        oidc.clientId,
        { client_secret: oidc.clientSecret },
        client.ClientSecretBasic(oidc.clientSecret),
        {
          // Plain http only for a local provider (development and tests); production issuers are https.
          ...(oidc.issuerUrl.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : {}),
          timeout: 10,
          // HTTPS_PROXY / NO_PROXY: discovery, JWKS and token calls through a CONNECT tunnel when configured.
          ...(this.egress.enabled ? { [client.customFetch]: proxiedFetch(this.egress) } : {}),
        },
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  private stateKey(state: string): string {
    return `${this.config.queuePrefix}:auth:oidc-state:${state}`;
  }

  private codeKey(code: string): string {
    return `${this.config.queuePrefix}:auth:oidc-code:${hashToken(code)}`;
  }
}
