import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { AuthService } from '../core/auth/auth.service';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';

const ERRORS: Record<string, TranslationKey> = {
  oidc_unknown_user: 'signIn.oidcUnknownUser',
  oidc_denied: 'signIn.oidcDenied',
  oidc_expired: 'signIn.oidcExpired',
};

/** The OIDC error code of a callback fragment ("error=oidc_denied"), as a message key. */
export function oidcErrorKey(fragment: string): TranslationKey | null {
  const code = new URLSearchParams(fragment).get('error');
  if (code === null) return null;
  return ERRORS[code] ?? 'signIn.oidcFailed';
}

/**
 * `/auth/callback#accessToken=…&refreshToken=…&expiresIn=…` (or `#error=<code>`): the end of the OpenID
 * Connect login. Tokens travel in the fragment, which never reaches a server or its logs.
 */
@Component({
  selector: 'lien-oidc-callback-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, TranslatePipe],
  template: `
    <h1>{{ 'signIn.title' | t }}</h1>
    @if (failure(); as key) {
      <p role="alert" data-testid="oidc-failed">{{ key | t }}</p>
      <a routerLink="/sign-in">{{ 'signIn.backToSignIn' | t }}</a>
    } @else {
      <p role="status">{{ 'common.loading' | t }}</p>
    }
  `,
})
export class OidcCallbackPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  protected readonly failure = signal<TranslationKey | null>(null);

  constructor() {
    const fragment = globalThis.location?.hash.replace(/^#/, '') ?? '';
    // Remove the tokens from the address bar and the history at once.
    globalThis.history?.replaceState(null, '', '/auth/callback');
    const error = oidcErrorKey(fragment);
    if (error) {
      this.failure.set(error);
      return;
    }
    void this.auth.completeFromFragment(fragment).then(async (ok) => {
      if (ok) await this.router.navigateByUrl(this.auth.homeUrl(), { replaceUrl: true });
      else this.failure.set('signIn.oidcFailed');
    });
  }
}
