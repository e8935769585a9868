import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import * as client from 'openid-client';
import type { LoginResponse, OidcCallbackError, OidcConfigResponse } from '@lien/shared';
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

interface PendingLogin {
  codeVerifier: string;
  nonce: string;
}

export type OidcOutcome = { ok: true; tokens: LoginResponse } | { ok: false; error: OidcCallbackError };

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

/**
 * Generic OpenID Connect sign-in (authorization code + PKCE + state + nonce) for Pro Santé Connect or any provider.
 * The state, PKCE verifier and nonce wait in Redis under the random state (10 minutes, single use), so any API
 * process can finish a sign-in another one started. The identity maps to an account by its stored subject, or on
 * first sign-in by RPPS number or verified email (the subject is then stored); unknown or inactive accounts are refused.
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
  ) {
    this.egress = new EgressProxy(config.egressProxy);
  }

  publicConfig(): OidcConfigResponse {
    return { enabled: this.config.oidc !== null, displayName: this.config.oidc?.displayName ?? null };
  }

  get redirectUri(): string {
    return `${this.config.publicBaseUrl}/api/auth/oidc/callback`;
  }

  /** Where the console receives the outcome, in the fragment so tokens never reach a server log. */
  consoleRedirect(outcome: OidcOutcome): string {
    const fragment = outcome.ok
      ? new URLSearchParams({
          accessToken: outcome.tokens.accessToken,
          refreshToken: outcome.tokens.refreshToken,
          expiresIn: String(outcome.tokens.expiresIn),
        })
      : new URLSearchParams({ error: outcome.error });
    return `${this.config.consoleOrigin}/auth/callback#${fragment.toString()}`;
  }

  /**
   * Where to send the browser for a new sign-in: the provider's authorization URL, or the console with
   * `#error=oidc_failed` when the provider cannot be reached; null when OIDC is not configured.
   */
  async start(): Promise<string | null> {
    const oidc = this.config.oidc;
    if (!oidc) return null;
    let configuration: client.Configuration;
    try {
      configuration = await this.discover(oidc);
    } catch (error) {
      this.logger.warn(`OIDC discovery failed: ${(error as Error).name}: ${(error as Error).message}`);
      return this.consoleRedirect({ ok: false, error: 'oidc_failed' });
    }
    const state = client.randomState();
    const pending: PendingLogin = {
      codeVerifier: client.randomPKCECodeVerifier(),
      nonce: client.randomNonce(),
    };
    await this.redis.set(this.stateKey(state), JSON.stringify(pending), 'EX', STATE_TTL_SECONDS);
    const scopes = new Set(oidc.scopes.split(/\s+/).filter(Boolean));
    scopes.add('openid');
    return client
      .buildAuthorizationUrl(configuration, {
        redirect_uri: this.redirectUri,
        scope: [...scopes].join(' '),
        state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      })
      .toString();
  }

  /** Finishes a sign-in from the provider's redirect (its query string), never throwing: the outcome says why. */
  async callback(query: URLSearchParams, context: AuditContext): Promise<OidcOutcome> {
    const oidc = this.config.oidc;
    if (!oidc) return { ok: false, error: 'oidc_failed' };
    const state = query.get('state');
    if (!state || !STATE.test(state)) return this.refuse('oidc_expired', 'missing_state', context);
    const stored = await this.redis.getdel(this.stateKey(state));
    if (!stored) return this.refuse('oidc_expired', 'unknown_state', context);
    if (query.get('error')) return this.refuse('oidc_denied', 'provider_error', context);
    const pending = JSON.parse(stored) as PendingLogin;

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

    const matched = await this.match(claims, oidc);
    const user = matched?.user;
    if (!matched || !user) return this.refuse('oidc_unknown_user', 'unknown_identity', context);
    if (!user.active) return this.refuse('oidc_unknown_user', 'inactive', context, user);
    const subject = String(claims.sub);
    if (user.oidcSubject !== subject) {
      await this.users.update(user.id, { oidcSubject: subject });
      await this.audit.record(
        { ...context, actorId: user.id, organisationId: user.organisationId },
        {
          action: 'auth.oidc.linked',
          targetType: 'user',
          targetId: user.id,
          metadata: { matchedBy: matched.by },
        },
      );
    }
    return { ok: true, tokens: await this.auth.succeed(user, 'oidc', context) };
  }

  /** By stored subject; else, on first sign-in, by RPPS number, else by verified email — never an account linked to another subject. */
  private async match(
    claims: Record<string, unknown>,
    oidc: OidcConfig,
  ): Promise<{ user: UserEntity; by: 'subject' | 'rpps' | 'email' } | null> {
    const subject = typeof claims.sub === 'string' ? claims.sub : null;
    if (!subject || subject.length > 255) return null;
    const bySubject = await this.users.findByOidcSubjectForAuthentication(subject);
    if (bySubject) return { user: bySubject, by: 'subject' };
    const rpps = rppsFromClaim(claims[oidc.rppsClaim]) ?? rppsFromClaim(claims.rpps);
    if (rpps) {
      const candidates = await this.users.findByRppsForAuthentication(rpps);
      const [candidate] = candidates;
      if (candidates.length === 1 && candidate && candidate.oidcSubject === null)
        return { user: candidate, by: 'rpps' };
    }
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null;
    if (email && claims.email_verified === true) {
      const byEmail = await this.users.findByEmailForAuthentication(email);
      if (byEmail && byEmail.oidcSubject === null) return { user: byEmail, by: 'email' };
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
}
