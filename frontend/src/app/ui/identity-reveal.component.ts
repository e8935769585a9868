import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';
import { LienIcon } from './icon';

/** A read made only when the professional asks for it (an audited identity read): busy meanwhile, failed after. */
export class OnDemandRead {
  readonly busy = signal(false);
  readonly failed = signal(false);

  async run(read: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.failed.set(false);
    try {
      await read();
    } catch {
      this.failed.set(true);
    } finally {
      this.busy.set(false);
    }
  }
}

/**
 * An identity still hidden: what is hidden, the button that reveals it (disabled while the read runs) and an alert
 * when the read failed. The page makes the read (`reveal`, through its OnDemandRead) and shows what came.
 */
@Component({
  selector: 'lien-identity-reveal',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, LienIcon, TranslatePipe],
  template: `
    <p class="muted">{{ hidden() | t }}</p>
    <button
      mat-stroked-button
      type="button"
      (click)="reveal.emit()"
      [disabled]="read().busy()"
      [attr.data-testid]="testId()"
    >
      <lien-icon name="visibility" />{{ action() | t }}
    </button>
    @if (read().failed()) {
      <p role="alert" class="error-text">{{ failed() | t }}</p>
    }
  `,
  styles: `
    :host {
      display: block;
    }
  `,
})
export class IdentityReveal {
  readonly read = input.required<OnDemandRead>();
  /** What the page says while the identity is hidden. */
  readonly hidden = input.required<TranslationKey>();
  /** The button's words. */
  readonly action = input.required<TranslationKey>();
  /** The alert's words when the read failed. */
  readonly failed = input.required<TranslationKey>();
  readonly testId = input.required<string>();
  readonly reveal = output();
}
