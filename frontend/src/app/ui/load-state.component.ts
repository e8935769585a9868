import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { toApiError } from '../core/api-error';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';

/** What `lien-load-state` reads of a resource (an `rxResource`, a `resource`). */
export interface LoadingResource {
  isLoading(): boolean;
  hasValue(): boolean;
  error(): unknown;
  reload(): unknown;
}

/**
 * How a page's data is coming: a progress bar (named for screen readers) while it loads, an alert naming what
 * failed, with a retry button when `retry` is set. The page shows its data below, `@if (!resource.error())`.
 * A record's page (one alert, one parent) says `notFound` on a 404 and shows the bar only until its first load.
 */
@Component({
  selector: 'lien-load-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatProgressBarModule, TranslatePipe],
  template: `
    @if (resource().isLoading() && !(firstLoadOnly() && resource().hasValue())) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | t" />
    }
    @if (resource().error()) {
      <p role="alert" class="error-text" [attr.data-testid]="testId()">
        {{ failedKey() | t }}
        @if (retry()) {
          <button mat-button type="button" (click)="resource().reload()">{{ 'common.retry' | t }}</button>
        }
      </p>
    }
  `,
  styles: `
    :host {
      display: block;
    }
  `,
})
export class LoadState {
  readonly resource = input.required<LoadingResource>();
  /** What the alert says when loading failed. */
  readonly failed = input.required<TranslationKey>();
  /** What the alert says when the API answered 404 (else `failed`). */
  readonly notFound = input<TranslationKey | null>(null);
  readonly retry = input(false);
  /** No bar when the resource reloads a value it already has (the page stays as it is meanwhile). */
  readonly firstLoadOnly = input(false);
  readonly testId = input<string | null>(null);

  protected readonly failedKey = computed(() => {
    const notFound = this.notFound();
    return notFound && toApiError(this.resource().error()).statusCode === 404 ? notFound : this.failed();
  });
}
