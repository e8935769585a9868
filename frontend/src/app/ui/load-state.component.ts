import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';

/** What `lien-load-state` reads of a resource (an `rxResource`, a `resource`). */
export interface LoadingResource {
  isLoading(): boolean;
  error(): unknown;
  reload(): unknown;
}

/**
 * How a page's data is coming: a progress bar (named for screen readers) while it loads, an alert naming what
 * failed, with a retry button when `retry` is set. The page shows its data below, `@if (!resource.error())`.
 */
@Component({
  selector: 'lien-load-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatProgressBarModule, TranslatePipe],
  template: `
    @if (resource().isLoading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | t" />
    }
    @if (resource().error()) {
      <p role="alert" class="error-text" [attr.data-testid]="testId()">
        {{ failed() | t }}
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
  readonly retry = input(false);
  readonly testId = input<string | null>(null);
}
