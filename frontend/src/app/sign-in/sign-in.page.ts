import { ChangeDetectionStrategy, Component, inject, signal, viewChild } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { required, email } from '../ui/validators';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { AuthService } from '../core/auth/auth.service';
import type { SignInResult } from '../core/auth/auth.models';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { FormField, bindFields, field } from '../ui/form-fields';
import { TotpField } from './totp-field';

type Step = 'credentials' | 'totp' | 'enrol';

/** Only same-site paths are followed after sign-in (no open redirect through `returnUrl`). */
export function safeReturnUrl(value: string | null): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  if (value.startsWith('/sign-in') || value.startsWith('/auth/')) return null;
  return value;
}

@Component({
  selector: 'lien-sign-in-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    ReactiveFormsModule,
    FormField,
    MatButtonModule,
    MatProgressBarModule,
    TranslatePipe,
    TotpField,
  ],
  template: `
    <section class="narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{{ 'signIn.title' | t }}</h1>
      <p class="muted">{{ 'signIn.intro' | t }}</p>

      @if (busy()) {
        <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | t" />
      }
      <div role="alert" class="error-text" [class.shown]="error()" data-testid="sign-in-error">
        @if (error(); as key) {
          {{ key | t }}
        }
      </div>

      <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="sign-in-form">
        @if (step() === 'credentials') {
          <lien-field [of]="fields.email" />
          <lien-field [of]="fields.password" />
        } @else {
          @if (step() === 'enrol') {
            <div class="panel" data-testid="totp-enrolment">
              <h2>{{ 'signIn.enrolTitle' | t }}</h2>
              <p>{{ 'signIn.enrolHelp' | t }}</p>
              @if (enrolSecret(); as secret) {
                <p>
                  {{ 'signIn.enrolSecret' | t }}
                  <code class="secret" data-testid="totp-secret">{{ groupSecret(secret) }}</code>
                </p>
              }
              @if (enrolUrl(); as url) {
                <p>
                  <a [href]="url" data-testid="totp-otpauth-link">{{ 'signIn.enrolLink' | t }}</a>
                </p>
              }
            </div>
          } @else {
            <p>{{ 'signIn.totpHelp' | t }}</p>
          }
          <lien-totp-field
            [control]="form.controls.totp"
            [maxlength]="8"
            [required]="true"
            testId="sign-in-totp"
          />
        }
        <div class="actions-row">
          <button mat-flat-button type="submit" [disabled]="busy()" data-testid="sign-in-submit">
            {{ (step() === 'credentials' ? 'signIn.submit' : 'signIn.verify') | t }}
          </button>
          @if (step() !== 'credentials') {
            <button mat-button type="button" (click)="restart()" data-testid="sign-in-back">
              {{ 'common.back' | t }}
            </button>
          }
        </div>
      </form>

      @if (step() === 'credentials') {
        <p class="forgot">
          <a routerLink="/forgot-password" data-testid="forgot-password-link">{{
            'password.forgotLink' | t
          }}</a>
        </p>
      }

      @if (oidcEnabled() && step() === 'credentials') {
        <div class="oidc">
          <p class="muted">{{ 'signIn.or' | t }}</p>
          <a mat-stroked-button href="/api/auth/oidc/start" data-testid="sign-in-oidc">
            {{ oidcLabel() ? ('signIn.oidcNamed' | t: { name: oidcLabel() ?? '' }) : ('signIn.oidc' | t) }}
          </a>
        </div>
      }
    </section>
  `,
  styleUrl: './narrow-page.css',
  styles: `
    form {
      margin-top: 8px;
    }
    [role='alert'].shown {
      margin: 8px 0;
      font-weight: 600;
    }
    .secret {
      display: inline-block;
      padding: 4px 8px;
      font-size: 1.1rem;
      letter-spacing: 0.05em;
      background: var(--mat-sys-surface-container);
      border-radius: 6px;
    }
    .oidc {
      margin-top: 24px;
      border-top: 1px solid var(--mat-sys-outline-variant);
      padding-top: 8px;
    }
  `,
})
export class SignInPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly i18n = inject(TranslationService);
  private readonly totpField = viewChild(TotpField);

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [required, email]],
    password: ['', required],
    totp: [''],
  });
  /** The browser's password manager fills these two: the account's address, then its password. */
  protected readonly fields = bindFields(
    {
      email: field('signIn.email', 'sign-in-email', {
        type: 'email',
        autocomplete: 'username',
        required: true,
      }),
      password: field('signIn.password', 'sign-in-password', {
        type: 'password',
        autocomplete: 'current-password',
        required: true,
      }),
    },
    this.form.controls,
    (name) => this.i18n.t(name === 'email' ? 'signIn.emailRequired' : 'signIn.passwordRequired'),
  );
  protected readonly step = signal<Step>('credentials');
  protected readonly busy = signal(false);
  protected readonly error = signal<TranslationKey | null>(null);
  protected readonly enrolSecret = signal<string | null>(null);
  protected readonly enrolUrl = signal<string | null>(null);
  private readonly enrolmentToken = signal<string | null>(null);
  protected readonly oidcEnabled = signal(false);
  protected readonly oidcLabel = signal<string | null>(null);

  constructor() {
    void this.auth.oidcConfig().then((config) => {
      this.oidcEnabled.set(config.enabled);
      this.oidcLabel.set(config.displayName ?? null);
    });
  }

  protected async submit(): Promise<void> {
    if (this.busy()) return;
    const { email, password, totp } = this.form.getRawValue();
    if (
      this.step() === 'credentials' &&
      (this.form.controls.email.invalid || this.form.controls.password.invalid)
    ) {
      this.form.markAllAsTouched();
      this.error.set('signIn.fillBoth');
      return;
    }
    const code = totp.replace(/\s/g, '');
    if (this.step() !== 'credentials' && !/^\d{6,8}$/.test(code)) {
      this.error.set('signIn.totpFormat');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const enrolmentToken = this.enrolmentToken();
    const result =
      this.step() === 'enrol' && enrolmentToken
        ? await this.auth.confirmTotpEnrolment(enrolmentToken, code)
        : await this.auth.signIn(email.trim(), password, this.step() === 'credentials' ? undefined : code);
    this.busy.set(false);
    await this.handle(result);
  }

  protected restart(): void {
    this.step.set('credentials');
    this.error.set(null);
    this.enrolmentToken.set(null);
    this.form.controls.totp.setValue('');
  }

  protected groupSecret(secret: string): string {
    return secret.replace(/(.{4})/g, '$1 ').trim();
  }

  private async handle(result: SignInResult): Promise<void> {
    switch (result.kind) {
      case 'signed_in': {
        const target =
          safeReturnUrl(this.route.snapshot.queryParamMap.get('returnUrl')) ?? this.auth.homeUrl();
        await this.router.navigateByUrl(target);
        return;
      }
      case 'totp_required':
        this.step.set('totp');
        this.focusTotp();
        return;
      case 'totp_enrolment_required':
        this.enrolmentToken.set(result.enrolmentToken);
        this.enrolSecret.set(result.secret);
        this.enrolUrl.set(result.otpauthUrl);
        this.step.set('enrol');
        this.focusTotp();
        return;
      case 'invalid_totp':
        this.error.set('signIn.invalidTotp');
        this.form.controls.totp.setValue('');
        this.focusTotp();
        return;
      case 'invalid_credentials':
        this.step.set('credentials');
        this.enrolmentToken.set(null);
        this.error.set('signIn.invalidCredentials');
        return;
      case 'locked':
        this.error.set('signIn.locked');
        return;
      case 'error':
        this.error.set('signIn.failed');
        return;
    }
  }

  private focusTotp(): void {
    setTimeout(() => this.totpField()?.focus());
  }
}
