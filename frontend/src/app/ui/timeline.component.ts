import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { FormatPipe } from '../i18n/format.pipe';
import type { TranslationKey } from '../i18n/fr';
import { TranslatePipe } from '../i18n/translate.pipe';

/** One line of a history, already in words: when, what, the details, who. */
export interface TimelineItem {
  id: string;
  /** ISO date-time, shown in the console's date format. */
  at: string;
  title: string;
  details?: string | null;
  who?: string | null;
  /** Kept as `data-event-type` (tests and styles). */
  type?: string;
}

/**
 * A history as an ordered list (the alert's own follow-up): each entry with its date,
 * what happened, its details and who did it. The page puts the entries in the order it wants and in words.
 */
@Component({
  selector: 'lien-timeline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormatPipe, TranslatePipe],
  template: `
    @if (items().length === 0) {
      <p class="muted">{{ emptyKey() | t }}</p>
    } @else {
      <ol class="timeline" [attr.data-testid]="testId()">
        @for (item of items(); track item.id) {
          <li [attr.data-testid]="itemTestId()" [attr.data-event-type]="item.type ?? null">
            <span class="when">{{ item.at | fmt }}</span>
            <span class="what">{{ item.title }}</span>
            @if (item.details) {
              <span class="details">{{ item.details }}</span>
            }
            @if (item.who) {
              <span class="who muted">{{ item.who }}</span>
            }
          </li>
        }
      </ol>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .what {
      font-weight: 600;
    }
  `,
})
export class TimelineComponent {
  readonly items = input.required<readonly TimelineItem[]>();
  readonly emptyKey = input<TranslationKey>('alertDetail.noEvents');
  readonly testId = input<string | null>(null);
  readonly itemTestId = input('timeline-entry');
}
