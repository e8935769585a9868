import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { SetPasswordRequest } from '@lien/shared';
import { fieldErrors, toApiError } from '../core/api-error';
import { NoticeService } from '../core/notice.service';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { PASSWORD_MIN, passwordProblems, type PasswordProblem } from './password';
import { PasswordApi } from './password-api';

const PROBLEM_KEYS: Record<PasswordProblem, TranslationKey> = {
  tooShort: 'password.tooShort',
  tooLong: 'password.tooLong',
  variety: 'password.variety',
  mismatch: 'password.mismatch',
};

/**
 * The token of a password link. Links carry it in the fragment (`/set-password#token=…`), which the browser never
 * sends to a server, so no access log or proxy keeps it. Links e-mailed before that change had `?token=…`: still
 * read, so they work until they expire.
 */
export function linkToken(fragment: string | null, query: string | null): string | null {
  const fromFragment = fragment ? new URLSearchParams(fragment.replace(/^#/, '')).get('token') : null;
  return fromFragment || query || null;
}

/** `/set-password#token=…`: the link of an invitation or password-reset email. */
@Component({
  selector: 'lien-set-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, TranslatePipe],
  template: `
    <section class="narrow" aria-labelledby="set-password-title">
      <h1 id="set-password-title">{{ 'password.title' | t }}</h1>
      @if (!token()) {
        <p role="alert" class="error-text">{{ 'password.noToken' | t }}</p>
        <a routerLink="/forgot-password">{{ 'password.askAgain' | t }}</a>
      } @else {
        <p>{{ 'password.rule' | t: { min: min } }}</p>
        <form (submit)="$event.preventDefault(); submit()" novalidate data-testid="set-password-form">
          @for (entry of entries; track entry.testId) {
            <mat-form-field>
              <mat-label>{{ entry.label | t }}</mat-label>
              <input
                matInput
                type="password"
                autocomplete="new-password"
                required
                [value]="entry.value()"
                (input)="entry.value.set($any($event.target).value)"
                [attr.data-testid]="entry.testId"
              />
            </mat-form-field>
          }
          <div role="alert" class="error-text" data-testid="set-password-error">
            @if (submitted()) {
              <ul>
                @for (problem of problems(); track problem) {
                  <li>{{ problemKey(problem) | t }}</li>
                }
                @for (message of serverErrors(); track $index) {
                  <li>{{ message }}</li>
                }
              </ul>
            }
          </div>
          <button mat-flat-button type="submit" [disabled]="busy()" data-testid="set-password-submit">
            {{ 'password.save' | t }}
          </button>
        </form>
      }
    </section>
  `,
  styleUrl: './narrow-page.css',
})
export class SetPasswordPage {
  private readonly route = inject(ActivatedRoute).snapshot;
  /** Read once from the fragment; the address bar then drops it (it should not stay in the history). */
  protected readonly token = signal(linkToken(this.route.fragment, this.route.queryParamMap.get('token')));

  private readonly api = inject(PasswordApi);
  private readonly router = inject(Router);
  private readonly notices = inject(NoticeService);
  private readonly i18n = inject(TranslationService);
  protected readonly min = PASSWORD_MIN;
  protected readonly password = signal('');
  protected readonly confirmation = signal('');
  protected readonly submitted = signal(false);
  protected readonly busy = signal(false);
  protected readonly serverErrors = signal<string[]>([]);
  /** The new password, then the same again: one field each, alike but for the label. */
  protected readonly entries = [
    { label: 'password.new', value: this.password, testId: 'set-password-new' },
    { label: 'password.confirm', value: this.confirmation, testId: 'set-password-confirm' },
  ] as const;
  protected readonly problems = computed(() => passwordProblems(this.password(), this.confirmation()));

  constructor() {
    if (this.token()) globalThis.history?.replaceState(null, '', '/set-password');
  }

  protected problemKey(problem: PasswordProblem): TranslationKey {
    return PROBLEM_KEYS[problem];
  }

  protected async submit(): Promise<void> {
    this.submitted.set(true);
    this.serverErrors.set([]);
    const token = this.token();
    if (!token || this.problems().length || this.busy()) return;
    this.busy.set(true);
    try {
      const body: SetPasswordRequest = { token, password: this.password() };
      await firstValueFrom(this.api.setPassword(body));
      this.notices.show('password.done', 'info');
      await this.router.navigateByUrl('/sign-in');
    } catch (error) {
      const apiError = toApiError(error);
      const fields = fieldErrors(apiError);
      if (apiError.code === 'invalid_token' || 'token' in fields) {
        this.serverErrors.set([this.i18n.t('password.invalidLink')]);
      } else {
        const messages = Object.values(fields);
        this.serverErrors.set(messages.length ? messages : [this.i18n.t('password.failed')]);
      }
    } finally {
      this.busy.set(false);
    }
  }
}
