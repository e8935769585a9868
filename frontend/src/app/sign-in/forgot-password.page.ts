import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { PasswordResetRequest } from '@lien/shared';
import { TranslatePipe } from '../i18n/translate.pipe';
import { PasswordApi } from './password-api';

/** `/forgot-password`: asks for a reset link. The answer never says whether the address has an account. */
@Component({
  selector: 'lien-forgot-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  template: `
    <section class="narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{{ 'password.forgotTitle' | t }}</h1>
      <p>{{ 'password.forgotHelp' | t }}</p>
      <form
        (submit)="$event.preventDefault(); submit(email.value)"
        novalidate
        data-testid="forgot-password-form"
      >
        <mat-form-field>
          <mat-label>{{ 'signIn.email' | t }}</mat-label>
          <input
            #email
            matInput
            type="email"
            autocomplete="username"
            required
            data-testid="forgot-password-email"
          />
        </mat-form-field>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="forgot-password-submit">
          {{ 'password.sendLink' | t }}
        </button>
      </form>
      <p role="status" data-testid="forgot-password-status">
        @if (sent()) {
          {{ 'password.linkSent' | t }}
        }
      </p>
      @if (failed()) {
        <p role="alert" class="error-text">{{ 'password.failed' | t }}</p>
      }
      <a routerLink="/sign-in">{{ 'signIn.backToSignIn' | t }}</a>
    </section>
  `,
  styleUrl: './narrow-page.css',
})
export class ForgotPasswordPage {
  private readonly api = inject(PasswordApi);
  protected readonly busy = signal(false);
  protected readonly sent = signal(false);
  protected readonly failed = signal(false);

  protected async submit(email: string): Promise<void> {
    if (!email.trim() || this.busy()) return;
    this.busy.set(true);
    this.failed.set(false);
    try {
      const body: PasswordResetRequest = { email: email.trim() };
      await firstValueFrom(this.api.requestReset(body));
      this.sent.set(true);
    } catch {
      this.failed.set(true);
    } finally {
      this.busy.set(false);
    }
  }
}
