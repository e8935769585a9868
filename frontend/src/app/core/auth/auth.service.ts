import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { DOCUMENT, Injectable, computed, inject, signal, type Signal } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { OidcLinkStartResponse, Permission, TotpSetupResponse } from '@lien/shared';
import { FormatService } from '../../i18n/format.service';
import { NoticeService } from '../notice.service';
import { toApiError } from '../api-error';
import { publicRequest } from './auth-context';
import { jwtExpiry } from './jwt';
import type { Me, OidcConfig, SignInResult, TokenPair } from './auth.models';

export const SESSION_STORAGE_KEY = 'lien.session';
/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 60_000;
/** Never schedule a refresh sooner than this (a clock skew must not cause a refresh loop). */
const MIN_REFRESH_DELAY_MS = 5_000;

export type SignOutReason = 'user' | 'idle' | 'expired';

interface StoredSession extends TokenPair {
  /** Access-token expiry, ms since epoch, when known. */
  expiresAt: number | null;
}

/**
 * The console session: tokens in memory and in sessionStorage (gone when the tab closes; never in
 * localStorage, which every tab and every later user of a shared workstation would see), the signed-in
 * user from `GET /api/auth/me`, refresh shortly before expiry and once on a 401, sign-out.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  private readonly formatter = inject(FormatService);
  private readonly notices = inject(NoticeService);

  private readonly session = signal<StoredSession | null>(this.readStorage());
  private readonly currentUser = signal<Me | null>(null);
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private refreshing: Promise<string | null> | null = null;
  private meLoading: Promise<Me | null> | null = null;

  readonly me = this.currentUser.asReadonly();
  readonly accessToken = computed(() => this.session()?.accessToken ?? null);
  readonly signedIn = computed(() => this.session() !== null);
  private readonly permissions = computed<ReadonlySet<Permission>>(() => {
    const me = this.currentUser();
    if (!me) return new Set();
    return new Set(me.permissions);
  });

  constructor() {
    const stored = this.session();
    if (stored) this.scheduleRefresh(stored);
  }

  /** The one test of a permission (a signal read: a `computed` calling it follows sign-in and sign-out). */
  can(permission: Permission): boolean {
    return this.permissions().has(permission);
  }

  /** Where a user lands after sign-in: coordinators and platform admins on reports, the others on alerts. */
  homeUrl(me: Me | null = this.currentUser()): string {
    if (!me) return '/sign-in';
    const permissions = new Set(me.permissions);
    if (me.role !== 'coordinator' && permissions.has('alerts.read')) return '/alerts';
    if (permissions.has('reports.read')) return '/reports';
    if (permissions.has('users.manage')) return '/admin/users';
    return '/sign-in';
  }

  /** At start-up: resume a session kept in this tab (refreshing it if the access token has expired). */
  async restore(): Promise<void> {
    const stored = this.session();
    if (!stored) return;
    if (stored.expiresAt !== null && stored.expiresAt <= Date.now() + MIN_REFRESH_DELAY_MS) {
      const token = await this.refresh();
      if (!token) return;
    }
    await this.ensureMe();
  }

  async signIn(email: string, password: string, totp?: string): Promise<SignInResult> {
    try {
      return await this.signInWith('/api/auth/login', totp ? { email, password, totp } : { email, password });
    } catch (error) {
      return this.signInFailure(error, Boolean(totp));
    }
  }

  /**
   * OIDC callback: the API redirects to `/auth/callback#code=…` with a one-time code (never tokens), exchanged
   * here for the session; `totp` when the exchange asked for the authenticator code.
   */
  async exchangeOidcCode(code: string, totp?: string): Promise<SignInResult> {
    try {
      return await this.signInWith('/api/auth/oidc/exchange', totp ? { code, totp } : { code });
    } catch (error) {
      return this.signInFailure(error, Boolean(totp));
    }
  }

  /** Signed in: start linking an OIDC identity to this account; the URL of the provider to go to, or null. */
  startOidcLink(): Promise<string | null> {
    return firstValueFrom(this.http.post<OidcLinkStartResponse>('/api/auth/oidc/link/start', {}))
      .then((response) => response.url)
      .catch(() => null);
  }

  oidcConfig(): Promise<OidcConfig> {
    return firstValueFrom(this.http.get<OidcConfig>('/api/auth/oidc/config', publicRequest())).catch(() => ({
      enabled: false,
      displayName: null,
    }));
  }

  /**
   * New tokens from the refresh token. Concurrent callers share one request (the refresh token rotates:
   * two parallel refreshes would look like a reuse and revoke the session). Null when the session is over.
   */
  refresh(): Promise<string | null> {
    if (this.refreshing) return this.refreshing;
    const refreshToken = this.session()?.refreshToken;
    if (!refreshToken) return Promise.resolve(null);
    this.refreshing = firstValueFrom(
      this.http.post<TokenPair>('/api/auth/refresh', { refreshToken }, publicRequest()),
    )
      .then((tokens) => {
        this.setSession(tokens);
        return tokens.accessToken;
      })
      .catch((error: unknown) => {
        // Only a refusal ends the session; a network blip leaves it for the next attempt.
        if (error instanceof HttpErrorResponse && error.status >= 400 && error.status < 500) {
          this.endSession('expired');
        }
        return null;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /** The signed-in user, loading it once if needed; null when there is no session. */
  ensureMe(): Promise<Me | null> {
    const me = this.currentUser();
    if (me) return Promise.resolve(me);
    if (!this.session()) return Promise.resolve(null);
    this.meLoading ??= firstValueFrom(this.http.get<Me>('/api/auth/me'))
      .then((loaded) => {
        this.currentUser.set(loaded);
        this.formatter.setTimeZone(loaded.organisation?.timeZone);
        return loaded;
      })
      .catch(() => {
        this.endSession('expired');
        return null;
      })
      .finally(() => {
        this.meLoading = null;
      });
    return this.meLoading;
  }

  async signOut(reason: SignOutReason = 'user'): Promise<void> {
    const refreshToken = this.session()?.refreshToken;
    if (refreshToken && reason !== 'expired') {
      // Best effort: the session ends in this tab whatever the API answers.
      await firstValueFrom(this.http.post('/api/auth/logout', { refreshToken })).catch(() => undefined);
    }
    this.endSession(reason);
  }

  /** The last step of a sign-in (password, OIDC code, TOTP enrolment): the API answers tokens, the session starts. */
  private async signInWith(url: string, body: object): Promise<SignInResult> {
    const tokens = await firstValueFrom(this.http.post<TokenPair>(url, body, publicRequest()));
    return (await this.startSession(tokens)) ? { kind: 'signed_in' } : { kind: 'error', message: 'me' };
  }

  private async startSession(tokens: TokenPair): Promise<boolean> {
    this.currentUser.set(null);
    this.setSession(tokens);
    const me = await this.ensureMe();
    if (me) this.notices.clear();
    return me !== null;
  }

  /** Clears the session and goes to the sign-in page with a notice saying why. */
  private endSession(reason: SignOutReason): void {
    const hadSession = this.session() !== null;
    this.clearTimer();
    this.session.set(null);
    this.currentUser.set(null);
    this.writeStorage(null);
    if (reason === 'idle') this.notices.show('notice.signedOutIdle', 'warning');
    else if (reason === 'expired' && hadSession) this.notices.show('notice.sessionExpired', 'warning');
    else if (reason === 'user') this.notices.show('notice.signedOut', 'info');
    void this.router.navigateByUrl('/sign-in');
  }

  private setSession(tokens: TokenPair): void {
    const expiresAt =
      jwtExpiry(tokens.accessToken) ?? (tokens.expiresIn ? Date.now() + tokens.expiresIn * 1000 : null);
    const stored: StoredSession = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt,
    };
    this.session.set(stored);
    this.writeStorage(stored);
    this.scheduleRefresh(stored);
  }

  private scheduleRefresh(stored: StoredSession): void {
    this.clearTimer();
    if (stored.expiresAt === null) return;
    const delay = Math.max(stored.expiresAt - Date.now() - REFRESH_MARGIN_MS, MIN_REFRESH_DELAY_MS);
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
  }

  private clearTimer(): void {
    if (this.refreshTimer !== null) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
  }

  /** Second step of a first sign-in where the organisation requires TOTP: the code from the newly set-up app. */
  async confirmTotpEnrolment(enrolmentToken: string, code: string): Promise<SignInResult> {
    try {
      return await this.signInWith('/api/auth/totp/enrol/confirm', { enrolmentToken, code });
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.statusCode === 400 || apiError.statusCode === 401) {
        // An expired enrolment token means starting again from the password.
        return apiError.code === 'totp_enrolment_expired' || apiError.code === 'invalid_token'
          ? { kind: 'invalid_credentials' }
          : { kind: 'invalid_totp' };
      }
      return this.signInFailure(error, true);
    }
  }

  private async signInFailure(error: unknown, withTotp: boolean): Promise<SignInResult> {
    const apiError = toApiError(error);
    const details =
      apiError.details && typeof apiError.details === 'object' && !Array.isArray(apiError.details)
        ? apiError.details
        : {};
    switch (apiError.code) {
      case 'totp_required':
        return { kind: 'totp_required' };
      case 'totp_enrolment_required': {
        const enrolmentToken =
          typeof details['enrolmentToken'] === 'string' ? details['enrolmentToken'] : null;
        if (!enrolmentToken) return { kind: 'error', message: 'enrolment' };
        const setup = await firstValueFrom(
          this.http.post<TotpSetupResponse>(
            '/api/auth/totp/enrol/setup',
            { enrolmentToken },
            publicRequest(),
          ),
        ).catch(() => null);
        return {
          kind: 'totp_enrolment_required',
          enrolmentToken,
          secret: setup?.secret ?? null,
          otpauthUrl: setup?.otpauthUrl ?? null,
        };
      }
      case 'too_many_attempts':
        return { kind: 'locked' };
      default:
        break;
    }
    if (apiError.statusCode === 429) return { kind: 'locked' };
    if (apiError.statusCode === 401)
      return withTotp ? { kind: 'invalid_totp' } : { kind: 'invalid_credentials' };
    return { kind: 'error', message: apiError.message };
  }

  private readStorage(): StoredSession | null {
    try {
      const raw = this.document.defaultView?.sessionStorage.getItem(SESSION_STORAGE_KEY);
      if (!raw) return null;
      const parsed = JSON.parse(raw) as Partial<StoredSession>;
      if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string') return null;
      return {
        accessToken: parsed.accessToken,
        refreshToken: parsed.refreshToken,
        expiresAt: typeof parsed.expiresAt === 'number' ? parsed.expiresAt : null,
      };
    } catch {
      return null;
    }
  }

  private writeStorage(stored: StoredSession | null): void {
    try {
      const storage = this.document.defaultView?.sessionStorage;
      if (!storage) return;
      if (stored) storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(stored));
      else storage.removeItem(SESSION_STORAGE_KEY);
    } catch {
      // Storage disabled: the session lives in memory only.
    }
  }
}

/**
 * Whether the signed-in user holds a permission, as a signal a template reads: `canWrite = allowed('parents.write')`
 * in a component's fields (an injection context). The server checks again: this only hides what would be refused.
 */
export function allowed(permission: Permission): Signal<boolean> {
  const auth = inject(AuthService);
  return computed(() => auth.can(permission));
}
