import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  inject,
  input,
  viewChild,
} from '@angular/core';

/**
 * The line under an admin form: what was just done (a polite status, hidden when empty) and what went wrong
 * (an alert the page can focus so a screen reader reads it out). Test ids: `<testId>-status`, `<testId>-error`.
 */
@Component({
  selector: 'lien-form-feedback',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p role="status" class="status" [class.shown]="message()" [attr.data-testid]="testId() + '-status'">
      {{ message() }}
    </p>
    @if (error(); as text) {
      <p #errorBox role="alert" class="error-text" tabindex="-1" [attr.data-testid]="testId() + '-error'">
        {{ text }}
      </p>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .status:not(.shown) {
      display: none;
    }
  `,
})
export class FormFeedback {
  readonly testId = input.required<string>();
  readonly message = input('');
  readonly error = input<string | null>(null);

  private readonly injector = inject(Injector);
  private readonly errorBox = viewChild<ElementRef<HTMLElement>>('errorBox');

  /** Moves focus to the error once it is drawn (after the page has set it). */
  focusError(): void {
    afterNextRender(() => this.errorBox()?.nativeElement.focus(), { injector: this.injector });
  }
}
