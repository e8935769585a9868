import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ParentHistory, ParentHistoryEvent, PlannedSms } from '@lien/shared';
import { FormatPipe } from '../i18n/format.pipe';
import { FormatService } from '../i18n/format.service';
import { TranslatePipe } from '../i18n/translate.pipe';
import { TranslationService } from '../i18n/translation.service';
import { historyActor, historyText, plannedText } from './history-labels';

/**
 * A parent's history: the SMS still planned, apart, then what happened, newest first, one line per fact with
 * who did it and the professional's note.
 */
@Component({
  selector: 'lien-parent-history',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, TranslatePipe, FormatPipe],
  templateUrl: './parent-history.component.html',
  styleUrl: './parent-history.component.css',
})
export class ParentHistoryView {
  readonly history = input.required<ParentHistory>();
  /** False: what happened only (the alert page), without the SMS still planned. */
  readonly showPlanned = input(true);

  private readonly i18n = inject(TranslationService);
  private readonly formatter = inject(FormatService);

  protected readonly events = computed(() => [...this.history().events].reverse());

  protected text(event: ParentHistoryEvent): string {
    return historyText(event, this.i18n.t, (day) => this.formatter.format(day, 'day'));
  }

  protected actor(event: ParentHistoryEvent): string | null {
    return historyActor(event, this.i18n.t);
  }

  protected planned(sms: PlannedSms): string {
    return plannedText(sms, this.i18n.t, (iso) => this.formatter.format(iso));
  }
}
