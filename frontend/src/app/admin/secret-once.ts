import { ChangeDetectionStrategy, Component, input, signal, type WritableSignal } from '@angular/core';
import { toApiError } from '../core/api-error';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';

/**
 * A creation whose answer holds a secret the API shows only once (an API key, a webhook signing secret): the
 * last one created, or why it failed. `busy` is the page's, shared by its forms.
 */
export class SecretCreation<T> {
  readonly created = signal<T | null>(null);
  readonly error = signal<string | null>(null);

  constructor(private readonly busy: WritableSignal<boolean>) {}

  /** Sends `create`; `then` runs once it succeeded (the list reloads). */
  async run(create: () => Promise<T>, then: () => void): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    this.created.set(null);
    try {
      this.created.set(await create());
      then();
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.busy.set(false);
    }
  }
}

/** What a creation said: why it failed, or the secret to copy now (announced, never shown again). */
@Component({
  selector: 'lien-secret-once',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  template: `
    @if (error(); as message) {
      <p role="alert" class="error-text">{{ 'integrations.createFailed' | t: { message } }}</p>
    }
    @if (secret(); as value) {
      <div class="created" role="status">
        <p>{{ notice() | t }}</p>
        <code [attr.data-testid]="testId()">{{ value }}</code>
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .created code {
      word-break: break-all;
      font-size: 1rem;
    }
  `,
})
export class SecretOnce {
  readonly error = input.required<string | null>();
  /** The secret, once created; null before. */
  readonly secret = input.required<string | null>();
  /** What the page says above the secret. */
  readonly notice = input.required<TranslationKey>();
  readonly testId = input.required<string>();
}
