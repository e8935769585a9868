import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { TranslatePipe } from '../i18n/translate.pipe';
import { ParentHistoryView } from './parent-history.component';
import { ParentsApi } from './parents-api';
import { ParentTrend } from './parent-trend.component';

/**
 * A parent's story from `GET /api/parents/:id/history` (one audited read when shown, one more per `revision`):
 * the score trend with the role's bands, then the history; the parent page and the alert page both show it.
 */
@Component({
  selector: 'lien-parent-story',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ParentTrend, ParentHistoryView, TranslatePipe],
  template: `
    @if (history.error()) {
      <p role="alert" class="error-text" data-testid="history-error">
        {{ 'parentDetail.historyFailed' | t }}
      </p>
    } @else if (history.hasValue()) {
      <lien-parent-trend [trend]="history.value().trend" />
      <lien-parent-history [history]="history.value()" [showPlanned]="showPlanned()" />
    }
  `,
  styles: `
    :host,
    lien-parent-trend,
    lien-parent-history {
      display: block;
    }
  `,
})
export class ParentStory {
  readonly parentId = input.required<string>();
  /** The SMS still planned, apart from what happened (the alert page shows what happened only). */
  readonly showPlanned = input(true);
  /** A new value reads the story again (the page bumps it after an action). */
  readonly revision = input(0);

  private readonly api = inject(ParentsApi);

  protected readonly history = rxResource({
    params: () => ({ id: this.parentId(), revision: this.revision() }),
    stream: ({ params }) => this.api.history(params.id),
  });
}
