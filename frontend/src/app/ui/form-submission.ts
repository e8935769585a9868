import { signal } from '@angular/core';
import type { AbstractControl } from '@angular/forms';
import type { ApiError } from '@lien/shared';
import { apiErrorText, toApiError } from '../core/api-error';
import type { TranslationKey } from '../i18n/fr';
import type { TranslationParams } from '../i18n/translation.service';
import type { FormFeedback } from './form-feedback.component';
import { invalidFormSummary } from './form-errors';

type Translate = (key: TranslationKey, params?: TranslationParams) => string;

/**
 * The one way a page's actions call the API (a parent's withdrawal, an alert's next step, an admin form's save):
 * `busy` while one is under way, then what was done (`message`, which the action sets) or what went wrong
 * (`error`); the last outcome is cleared when the next action starts.
 */
export class PageActions {
  readonly busy = signal(false);
  readonly message = signal('');
  readonly error = signal<string | null>(null);

  /** Before another action (a removal, a download): the last outcome is no longer shown. */
  clear(): void {
    this.message.set('');
    this.error.set(null);
  }

  /** Shows what went wrong. */
  fail(text: string): void {
    this.error.set(text);
  }

  /** Runs `action` (busy meanwhile, the last outcome cleared); its failure goes to `failed` as the API's error. */
  async run(action: () => Promise<void>, failed: (error: ApiError) => void): Promise<void> {
    this.clear();
    this.busy.set(true);
    try {
      await action();
    } catch (caught) {
      failed(toApiError(caught));
    } finally {
      this.busy.set(false);
    }
  }
}

/**
 * The one way an admin form is sent: its page actions, what `<lien-form-feedback>` shows, and the steps every
 * save takes — nothing while another runs, the last outcome cleared, an invalid form refused with its fields
 * marked and the summary focused, the API's refusal handed to the page.
 */
export class FormSubmission extends PageActions {
  constructor(
    private readonly t: Translate,
    private readonly feedback: () => FormFeedback | undefined,
  ) {
    super();
  }

  /** Shows the error and moves focus to it (once drawn), so a screen reader reads it out. */
  override fail(text: string): void {
    super.fail(text);
    this.feedback()?.focusError();
  }

  /** Shows what the API (or the network) said for an action that has no fields to mark. */
  failWith(caught: unknown): void {
    this.fail(apiErrorText(toApiError(caught), this.t));
  }

  /**
   * Sends the form with `send` once it is valid and nothing else is being sent (busy meanwhile); a refusal goes
   * to `refused` (which puts each detail on its field and calls `fail` with the summary).
   */
  async submit(
    form: AbstractControl,
    send: () => Promise<void>,
    refused: (error: ApiError) => void,
  ): Promise<void> {
    if (this.busy()) return;
    this.clear();
    const invalid = invalidFormSummary(form, this.t);
    if (invalid) {
      this.fail(invalid);
      return;
    }
    await this.run(send, refused);
  }
}
