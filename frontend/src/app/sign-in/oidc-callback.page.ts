import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { Router, RouterLink } from '@angular/router';
import { AuthService } from '../core/auth/auth.service';
import type { SignInResult } from '../core/auth/auth.models';
import { NoticeService } from '../core/notice.service';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TotpField } from './totp-field';

const ERRORS: Record<string, TranslationKey> = {
  oidc_unknown_user: 'signIn.oidcUnknownUser',
  oidc_account_unavailable: 'signIn.oidcAccountUnavailable',
  oidc_already_linked: 'signIn.oidcAlreadyLinked',
  oidc_denied: 'signIn.oidcDenied',
  oidc_expired: 'signIn.oidcExpired',
};

/** The OIDC error code of a callback fragment ("error=oidc_denied"), as a message key. */
export function oidcErrorKey(fragment: string): TranslationKey | null {
  const code = new URLSearchParams(fragment).get('error');
  if (code === null) return null;
  return ERRORS[code] ?? 'signIn.oidcFailed';
}

export type OidcCallback =
  | { kind: 'error'; key: TranslationKey }
  | { kind: 'code'; code: string }
  | { kind: 'linked' }
  | { kind: 'invalid' };

/**
 * What a callback fragment says: an error, a one-time code to exchange, or a finished linking step. Anything
 * else (tokens pushed into the URL, for instance) is refused: the console takes tokens only from the API.
 */
export function oidcCallbackOf(fragment: string): OidcCallback {
  const error = oidcErrorKey(fragment);
  if (error) return { kind: 'error', key: error };
  const params = new URLSearchParams(fragment);
  const keys = [...params.keys()];
  if (keys.length !== 1) return { kind: 'invalid' };
  const code = params.get('code');
  if (code && /^[A-Za-z0-9_-]{32,64}$/.test(code)) return { kind: 'code', code };
  if (params.get('linked') === 'true') return { kind: 'linked' };
  return { kind: 'invalid' };
}

/**
 * `/auth/callback#code=…` (or `#error=<code>`, or `#linked=true` after linking an identity): the end of the
 * OpenID Connect flow. The one-time code is exchanged with the API (with the authenticator code when asked).
 */
@Component({
  selector: 'lien-oidc-callback-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, TranslatePipe, ReactiveFormsModule, MatButtonModule, TotpField],
  template: `
    <h1>{{ 'signIn.title' | t }}</h1>
    @if (failure(); as key) {
      <p role="alert" data-testid="oidc-failed">{{ key | t }}</p>
      <a routerLink="/sign-in">{{ 'signIn.backToSignIn' | t }}</a>
    } @else if (askTotp()) {
      <form [formGroup]="form" (ngSubmit)="submitTotp()" data-testid="oidc-totp">
        <p>{{ 'signIn.totpHelp' | t }}</p>
        <lien-totp-field [control]="form.controls.totp" [maxlength]="6" testId="oidc-totp-input" />
        <button mat-flat-button type="submit" [disabled]="busy()">{{ 'signIn.verify' | t }}</button>
      </form>
    } @else {
      <p role="status">{{ 'common.loading' | t }}</p>
    }
  `,
})
export class OidcCallbackPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly notices = inject(NoticeService);
  protected readonly failure = signal<TranslationKey | null>(null);
  protected readonly askTotp = signal(false);
  protected readonly busy = signal(false);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    totp: ['', Validators.pattern(/^\d{6}$/)],
  });
  private code: string | null = null;

  constructor() {
    const fragment = globalThis.location?.hash.replace(/^#/, '') ?? '';
    // Remove the code from the address bar and the history at once.
    globalThis.history?.replaceState(null, '', '/auth/callback');
    const callback = oidcCallbackOf(fragment);
    switch (callback.kind) {
      case 'error':
        this.failure.set(callback.key);
        return;
      case 'invalid':
        this.failure.set('signIn.oidcFailed');
        return;
      case 'linked':
        this.notices.show('signIn.oidcLinked', 'info');
        void this.auth
          .ensureMe()
          .then(() => this.router.navigateByUrl(this.auth.homeUrl(), { replaceUrl: true }));
        return;
      case 'code':
        this.code = callback.code;
        void this.exchange();
    }
  }

  protected submitTotp(): void {
    const { totp } = this.form.getRawValue();
    if (this.form.invalid || totp === '' || this.busy()) return;
    void this.exchange(totp);
  }

  private async exchange(totp?: string): Promise<void> {
    if (!this.code) return;
    this.busy.set(true);
    const result = await this.auth.exchangeOidcCode(this.code, totp);
    this.busy.set(false);
    await this.settle(result);
  }

  private async settle(result: SignInResult): Promise<void> {
    switch (result.kind) {
      case 'signed_in':
        await this.router.navigateByUrl(this.auth.homeUrl(), { replaceUrl: true });
        return;
      case 'totp_required':
        this.askTotp.set(true);
        return;
      case 'totp_enrolment_required':
        // Set up the authenticator with the password sign-in, which guides the enrolment.
        this.failure.set('signIn.oidcEnrolFirst');
        return;
      case 'invalid_totp':
        // A wrong code uses up the one-time code: the sign-in starts again.
        this.failure.set('signIn.oidcTotpInvalid');
        return;
      case 'locked':
        this.failure.set('signIn.oidcAccountUnavailable');
        return;
      default:
        this.failure.set('signIn.oidcFailed');
    }
  }
}
